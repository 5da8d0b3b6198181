/**
 * Run as its own process (`node --expose-gc --import tsx`), so nothing else is in its heap:
 * builds the scale configuration in memory, then measures `buildSnapshot` from the compiled
 * dist/ (what `gatehouse start` runs): the first build in a fresh process (as at start) and a
 * second one (as a reload), and the resident memory before and after with garbage collected
 * at each point. Prints one line `SCALE_SNAPSHOT_JSON {...}`. Arguments: the ScaleShape as
 * JSON, the repository root.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { scaleServiceConfig } from './scale-config.js';
import type { ScaleShape } from './scale-shape.js';

type BuildModule = typeof import('../../src/gateway/snapshot/build-snapshot.js');
type PolicyModule = typeof import('../../src/policies/index.js');

const shape = JSON.parse(process.argv[2] ?? '') as ScaleShape;
const root = process.argv[3] ?? process.cwd();
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');
const mb = (bytes: number): number => bytes / 1024 / 1024;
const settle = (): NodeJS.MemoryUsage => {
  gc();
  gc();
  return process.memoryUsage();
};

const { buildSnapshot } = (await import(pathToFileURL(join(root, 'dist/gateway/snapshot/build-snapshot.js')).href)) as BuildModule;
const { policyRegistry } = (await import(pathToFileURL(join(root, 'dist/policies/index.js')).href)) as PolicyModule;

const baseline = settle();
const config = scaleServiceConfig(shape, 'http://127.0.0.1:9');
const withConfig = settle();
let started = process.hrtime.bigint();
let snapshot = buildSnapshot(config, { policies: policyRegistry, version: 1 });
const buildMs = Number(process.hrtime.bigint() - started) / 1e6;
const peakRss = process.memoryUsage().rss;
const withSnapshot = settle();
// A reload builds the next snapshot while the current one is still served.
started = process.hrtime.bigint();
const next = buildSnapshot(config, { policies: policyRegistry, version: 2 });
const rebuildMs = Number(process.hrtime.bigint() - started) / 1e6;
const withTwo = settle();
// Both snapshots must survive to here, or the readings would not include them.
if (snapshot.version !== 1 || next.version !== 2) throw new Error('unexpected snapshot');
snapshot = next;

const result = {
  shape,
  buildMs,
  rebuildMs,
  rssBaselineMb: mb(baseline.rss),
  rssWithConfigMb: mb(withConfig.rss),
  rssPeakDuringBuildMb: mb(peakRss),
  rssWithSnapshotMb: mb(withSnapshot.rss),
  rssWithTwoSnapshotsMb: mb(withTwo.rss),
  configAndSnapshotRssMb: mb(withSnapshot.rss - baseline.rss),
  snapshotRssMb: mb(withSnapshot.rss - withConfig.rss),
  heapConfigMb: mb(withConfig.heapUsed - baseline.heapUsed),
  heapSnapshotMb: mb(withSnapshot.heapUsed - withConfig.heapUsed),
};
console.log(`SCALE_SNAPSHOT_JSON ${JSON.stringify(result)}`);
