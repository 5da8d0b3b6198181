/**
 * The hot path's own counter (src/gateway/fixed-label-counter.ts) against prom-client's Counter
 * fed the same increments: the same exposition text byte for byte, the same JSON a worker sends
 * to the aggregator, and the same text once two workers are aggregated.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AggregatorRegistry, Counter, Registry } from 'prom-client';
import { FixedLabelCounter } from '../../src/gateway/fixed-label-counter.js';

type Labels = Record<'api' | 'operation' | 'status' | 'endpoint', string>;

const apis = ['orders', 'echo-api', 'quo"te\\back\nslash', ''];
const statuses = ['200', '404', '0'];
const endpoints = ['public', 'private:pe-1'];

/** `count` label sets picked at random: any order of increments must print the same as prom-client. */
function increments(count: number): Labels[] {
  const pick = <T>(list: readonly T[]) => list[Math.floor(Math.random() * list.length)]!;
  return Array.from({ length: count }, () => ({ api: pick(apis), operation: pick(['get', 'put']), status: pick(statuses), endpoint: pick(endpoints) }));
}

function both() {
  const theirs = new Registry();
  const ours = new Registry();
  const name = 'gatehouse_requests_total';
  const help = 'Gateway requests by API, operation, status and arrival endpoint (status 0: the client went away).';
  const labelNames = ['api', 'operation', 'status', 'endpoint'] as const;
  const reference = new Counter({ name, help, labelNames, registers: [theirs] });
  const own = new FixedLabelCounter(name, help, labelNames, ours);
  return {
    theirs,
    ours,
    feed(list: readonly Labels[]) {
      for (const labels of list) {
        // The caller's label order differs from the metric's: the exposition must not follow it.
        const shuffled = { endpoint: labels.endpoint, status: labels.status, operation: labels.operation, api: labels.api };
        reference.labels(labels).inc();
        own.labels(shuffled).inc();
      }
    },
  };
}

describe('fixed-label counter', () => {
  it('prints what prom-client prints for the same increments', async () => {
    const pair = both();
    assert.equal(await pair.ours.metrics(), await pair.theirs.metrics(), 'empty');
    pair.feed(increments(500));
    const text = await pair.ours.metrics();
    assert.equal(text, await pair.theirs.metrics());
    assert.match(text, /^gatehouse_requests_total\{api="quo\\"te\\\\back\\nslash",operation="(get|put)",status="\d+",endpoint="[^"]+"\} \d+$/m);
    pair.feed(increments(100));
    assert.equal(await pair.ours.metrics(), await pair.theirs.metrics(), 'after more increments');
  });

  it('answers get() in prom-client shape and aggregates across workers to the same text', async () => {
    const one = both();
    const two = both();
    one.feed(increments(300));
    two.feed(increments(300));
    assert.deepEqual(JSON.parse(JSON.stringify(await one.ours.getMetricsAsJSON())), JSON.parse(JSON.stringify(await one.theirs.getMetricsAsJSON())));
    const ours = AggregatorRegistry.aggregate([await one.ours.getMetricsAsJSON(), await two.ours.getMetricsAsJSON()]);
    const theirs = AggregatorRegistry.aggregate([await one.theirs.getMetricsAsJSON(), await two.theirs.getMetricsAsJSON()]);
    assert.equal(await ours.metrics(), await theirs.metrics());
  });

  it('gives one cell per label set', () => {
    const own = new FixedLabelCounter('c', 'c', ['api'], new Registry());
    own.labels({ api: 'a' }).inc();
    own.labels({ api: 'a' }).inc();
    assert.equal(own.labels({ api: 'a' }).value, 2);
    assert.equal(own.labels({ api: 'b' }).value, 0);
  });

  it('refuses a label the metric does not have', () => {
    const own = new FixedLabelCounter('c', 'c', ['api'], new Registry());
    assert.throws(() => own.labels({ api: 'a', other: 'b' } as Record<'api', string>), /not included/);
  });

  it('forgets its cells on reset', async () => {
    const registry = new Registry();
    const own = new FixedLabelCounter('c', 'c', ['api'], registry);
    own.labels({ api: 'a' }).inc();
    registry.resetMetrics();
    assert.doesNotMatch(await registry.metrics(), /^c\{/m);
  });
});
