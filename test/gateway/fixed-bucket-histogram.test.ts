/**
 * The hot path's own histogram (src/gateway/fixed-bucket-histogram.ts) against prom-client's
 * Histogram fed the same observations: the same exposition text byte for byte, the same JSON a
 * worker sends to the aggregator, and the same text once two workers are aggregated.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AggregatorRegistry, Histogram, Registry } from 'prom-client';
import { FixedBucketHistogram } from '../../src/gateway/fixed-bucket-histogram.js';
import { durationBuckets } from '../../src/gateway/gateway-metrics.js';

type Labels = Record<'api' | 'endpoint', string>;
type Observation = { labels: Labels; value: number };

/** A small seeded generator, so a failure can be replayed with the seed it prints. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const apis = ['orders', 'echo-api', 'quo"te\\back\nslash', ''];
const endpoints = ['gateway', 'gateway-2'];

function observations(seed: number, count: number): Observation[] {
  const random = generator(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  return Array.from({ length: count }, () => {
    const kind = random();
    // Exactly on a bound, far above the last, zero, sub-millisecond, and spread values.
    const value = kind < 0.1 ? pick(durationBuckets) : kind < 0.15 ? 30 + random() * 100 : kind < 0.2 ? 0 : kind < 0.3 ? random() / 1000 : Math.exp(random() * 10 - 7);
    return { labels: { api: pick(apis), endpoint: pick(endpoints) }, value };
  });
}

function both(name: string) {
  const theirs = new Registry();
  const ours = new Registry();
  const help = 'Time from request arrival to the end of the response.';
  const reference = new Histogram({ name, help, labelNames: ['api', 'endpoint'], buckets: durationBuckets, registers: [theirs] });
  const own = new FixedBucketHistogram(name, help, ['api', 'endpoint'], durationBuckets, ours);
  return {
    theirs,
    ours,
    feed(list: readonly Observation[]) {
      for (const { labels, value } of list) {
        reference.labels(labels).observe(value);
        own.labels(labels).observe(value);
      }
    },
  };
}

const seed = Number(process.env.HISTOGRAM_SEED ?? Date.now() % 1_000_000);

describe('fixed-bucket histogram', () => {
  it(`prints what prom-client prints for the same random observations (seed ${seed})`, async () => {
    const pair = both('gatehouse_request_duration_seconds');
    assert.equal(await pair.ours.metrics(), await pair.theirs.metrics(), 'empty');
    pair.feed(observations(seed, 5_000));
    const text = await pair.ours.metrics();
    assert.equal(text, await pair.theirs.metrics());
    // Not vacuous: every series and the escaped label are there.
    assert.match(text, /gatehouse_request_duration_seconds_bucket\{le="\+Inf",api="quo\\"te\\\\back\\nslash",endpoint="gateway"\} \d+/);
    pair.feed(observations(seed + 1, 1_000));
    assert.equal(await pair.ours.metrics(), await pair.theirs.metrics(), 'after more observations');
  });

  it('answers get() in prom-client shape, as sent to the aggregator over IPC', async () => {
    const pair = both('gatehouse_backend_duration_seconds');
    pair.feed(observations(seed + 2, 2_000));
    const ours = JSON.parse(JSON.stringify(await pair.ours.getMetricsAsJSON()));
    const theirs = JSON.parse(JSON.stringify(await pair.theirs.getMetricsAsJSON()));
    assert.deepEqual(ours, theirs);
  });

  it('aggregates across two worker processes to the same text as prom-client histograms', async () => {
    const one = both('gatehouse_request_duration_seconds');
    const two = both('gatehouse_request_duration_seconds');
    one.feed(observations(seed + 3, 1_500));
    two.feed(observations(seed + 4, 1_500));
    const ours = AggregatorRegistry.aggregate([await one.ours.getMetricsAsJSON(), await two.ours.getMetricsAsJSON()]);
    const theirs = AggregatorRegistry.aggregate([await one.theirs.getMetricsAsJSON(), await two.theirs.getMetricsAsJSON()]);
    assert.equal(await ours.metrics(), await theirs.metrics());
  });

  it('rejects a value that is not a finite number, as prom-client does', () => {
    const own = new FixedBucketHistogram('h', 'h', ['api'], durationBuckets, new Registry());
    assert.throws(() => own.labels({ api: 'a' }).observe(Number.NaN), TypeError);
    assert.throws(() => own.labels({ api: 'a' }).observe(Number.POSITIVE_INFINITY), TypeError);
  });

  it('refuses a label the metric does not have', () => {
    const own = new FixedBucketHistogram('h', 'h', ['api'], durationBuckets, new Registry());
    assert.throws(() => own.labels({ api: 'a', other: 'b' } as Record<'api', string>), /not included/);
  });

  it('forgets its series on reset', async () => {
    const registry = new Registry();
    const own = new FixedBucketHistogram('h', 'h', ['api'], durationBuckets, registry);
    own.labels({ api: 'a' }).observe(1);
    registry.resetMetrics();
    assert.doesNotMatch(await registry.metrics(), /h_count/);
  });
});
