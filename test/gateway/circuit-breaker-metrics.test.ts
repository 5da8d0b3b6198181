/**
 * The circuit-breaker gauges (src/gateway/circuit-breaker-metrics.ts): closed, open with the time
 * it closes, closed again after the trip, named by backend and rule; and how `--workers`
 * aggregation combines two processes (open summed, open-until the latest).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AggregatorRegistry, Registry } from 'prom-client';
import { CircuitBreakers } from '../../src/gateway/circuit-breaker.js';
import { trackCircuitBreakers } from '../../src/gateway/circuit-breaker-metrics.js';
import type { Backend } from '../../src/model/resources.js';

const start = Date.UTC(2026, 0, 1);

function backend(name: string): Backend {
  return {
    name,
    url: 'http://127.0.0.1:1',
    type: 'Single',
    circuitBreaker: { rules: [{ name: 'trip-on-5xx', failureCondition: { count: 2, intervalMs: 10_000, statusCodeRanges: [{ min: 500, max: 599 }], errorReasons: [] }, tripDurationMs: 5_000, acceptRetryAfter: false }] },
  };
}

function tracked(clock: { now: number }) {
  const registry = new Registry();
  const circuits = new CircuitBreakers();
  trackCircuitBreakers(registry, circuits, () => clock.now);
  return { registry, circuits };
}

function series(text: string, name: string): string[] {
  return text.split('\n').filter((line) => line.startsWith(`${name}{`));
}

describe('circuit breaker gauges', () => {
  it('show nothing before a call, closed after a good one, and open until the trip ends', async () => {
    const clock = { now: start };
    const { registry, circuits } = tracked(clock);
    const orders = backend('Orders');
    assert.deepEqual(series(await registry.metrics(), 'gatehouse_backend_circuit_open'), []);
    circuits.of(orders)!.answered(200, undefined, clock.now);
    let text = await registry.metrics();
    assert.deepEqual(series(text, 'gatehouse_backend_circuit_open'), ['gatehouse_backend_circuit_open{backend="Orders",rule="trip-on-5xx"} 0']);
    assert.deepEqual(series(text, 'gatehouse_backend_circuit_open_until_seconds'), ['gatehouse_backend_circuit_open_until_seconds{backend="Orders",rule="trip-on-5xx"} 0']);

    circuits.of(orders)!.answered(500, undefined, clock.now);
    circuits.of(orders)!.answered(502, undefined, clock.now);
    text = await registry.metrics();
    assert.deepEqual(series(text, 'gatehouse_backend_circuit_open'), ['gatehouse_backend_circuit_open{backend="Orders",rule="trip-on-5xx"} 1']);
    assert.deepEqual(series(text, 'gatehouse_backend_circuit_open_until_seconds'), [`gatehouse_backend_circuit_open_until_seconds{backend="Orders",rule="trip-on-5xx"} ${(start + 5_000) / 1000}`]);

    clock.now = start + 5_000;
    text = await registry.metrics();
    assert.deepEqual(series(text, 'gatehouse_backend_circuit_open'), ['gatehouse_backend_circuit_open{backend="Orders",rule="trip-on-5xx"} 0']);
  });

  it('drop a breaker whose backend is no longer configured', async () => {
    const clock = { now: start };
    const { registry, circuits } = tracked(clock);
    circuits.of(backend('gone'))!.answered(200, undefined, clock.now);
    circuits.retain([]);
    assert.deepEqual(series(await registry.metrics(), 'gatehouse_backend_circuit_open'), []);
  });

  it('over two gateway processes: open counts the processes, open-until takes the latest', async () => {
    const clock = { now: start };
    const one = tracked(clock);
    const two = tracked(clock);
    for (const w of [one, two]) {
      w.circuits.of(backend('b'))!.answered(500, undefined, clock.now);
      w.circuits.of(backend('b'))!.answered(500, undefined, clock.now);
      clock.now += 1000;
    }
    const merged = AggregatorRegistry.aggregate([await one.registry.getMetricsAsJSON(), await two.registry.getMetricsAsJSON()]);
    const text = await merged.metrics();
    assert.deepEqual(series(text, 'gatehouse_backend_circuit_open'), ['gatehouse_backend_circuit_open{backend="b",rule="trip-on-5xx"} 2']);
    assert.deepEqual(series(text, 'gatehouse_backend_circuit_open_until_seconds'), [`gatehouse_backend_circuit_open_until_seconds{backend="b",rule="trip-on-5xx"} ${(start + 6_000) / 1000}`]);
  });
});
