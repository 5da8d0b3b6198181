/**
 * The backends' circuit-breaker state as Prometheus gauges (docs/observability.md), read when
 * `/metrics` is scraped, so the admin console's backends page can show what the running gateway
 * sees. Breakers are per gateway process: with `--workers N` the primary adds up the workers'
 * `open` (how many processes have it open) and takes the latest `open_until` of them.
 */
import { Gauge, type Registry } from 'prom-client';
import type { CircuitBreakers } from './circuit-breaker.js';

/** Registers the circuit-breaker gauges of `circuits` on `registry`; `now` gives the time in ms. */
export function trackCircuitBreakers(registry: Registry, circuits: CircuitBreakers, now: () => number = Date.now): void {
  const states = () => circuits.states(now());
  new Gauge({
    name: 'gatehouse_backend_circuit_open',
    help: 'Gateway processes in which the backend\'s circuit breaker is open (0: closed everywhere). A breaker exists once its backend was called.',
    labelNames: ['backend', 'rule'],
    registers: [registry],
    aggregator: 'sum',
    collect() {
      this.reset();
      for (const s of states()) this.set({ backend: s.backend, rule: s.rule }, s.openUntil === undefined ? 0 : 1);
    },
  });
  new Gauge({
    name: 'gatehouse_backend_circuit_open_until_seconds',
    help: 'When an open circuit breaker closes, in seconds since the Unix epoch (0: closed); over several gateway processes the latest.',
    labelNames: ['backend', 'rule'],
    registers: [registry],
    aggregator: 'max',
    collect() {
      this.reset();
      for (const s of states()) this.set({ backend: s.backend, rule: s.rule }, s.openUntil === undefined ? 0 : s.openUntil / 1000);
    },
  });
}
