// Micro-measurement (not a test): ns per observation, prom-client's labelled Histogram child (the
// old hot path) versus FixedBucketHistogram's series (the new one), both resolved once as
// GatewayMetrics does, alternating rounds in one process; prints the ratio of medians.
// Run: `npx tsx bench/observe/histogram-ab.ts`. On a shared machine, read the ratio, not the ns.
import { Histogram, Registry } from 'prom-client';
import { FixedBucketHistogram } from '../../src/gateway/fixed-bucket-histogram.js';
import { durationBuckets } from '../../src/gateway/gateway-metrics.js';

const values = Array.from({ length: 4096 }, (_, i) => Math.exp(((i * 7919) % 4096) / 4096 * 10 - 8));
const labels = { api: 'orders', endpoint: 'gateway' };
const old = new Histogram({ name: 'old_seconds', help: 'h', labelNames: ['api', 'endpoint'], buckets: durationBuckets, registers: [new Registry()] }).labels(labels);
const own = new FixedBucketHistogram('new_seconds', 'h', ['api', 'endpoint'], durationBuckets, new Registry()).labels(labels);

function round(series: { observe(v: number): void }, times: number): number {
  const start = process.hrtime.bigint();
  for (let r = 0; r < times; r++) for (const v of values) series.observe(v);
  return Number(process.hrtime.bigint() - start) / (times * values.length);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
round(old, 50);
round(own, 50);
const results = { old: [] as number[], own: [] as number[] };
for (let trial = 0; trial < 21; trial++) {
  // Alternating which goes first, so neither always runs on a warmer or quieter machine.
  if (trial % 2 === 0) {
    results.old.push(round(old, 20));
    results.own.push(round(own, 20));
  } else {
    results.own.push(round(own, 20));
    results.old.push(round(old, 20));
  }
}
const o = median(results.old);
const n = median(results.own);
console.log(`prom-client child observe: ${o.toFixed(1)} ns (median of 21 rounds)`);
console.log(`fixed-bucket series observe: ${n.toFixed(1)} ns`);
console.log(`new / old time: ${(n / o).toFixed(3)} (old / new: ${(o / n).toFixed(1)}x)`);
