/**
 * Case `scale-snapshot`: time and resident memory of building the gateway snapshot for the
 * scale configuration (issue 6 target: ≤ 3 s and ≤ 300 MB for 10,000 APIs × 10 operations).
 * Each round is a fresh child process (snapshot-build-child.ts) so the heap holds nothing else.
 */
import { join } from 'node:path';
import { ensureGatehouseBuilt } from '../harness/gatehouse-build.js';
import { median } from '../harness/stats.js';
import { meets } from '../harness/result-aggregator.js';
import { nodeTsArgs, runToCompletion } from '../harness/process-launcher.js';
import type { BenchCase, Figure } from '../harness/types.js';
import { describeShape, scaleShapeFor } from './scale-options.js';
import type { ScaleShape } from './scale-shape.js';

export interface SnapshotBuildReading {
  shape: ScaleShape;
  buildMs: number;
  rebuildMs: number;
  rssBaselineMb: number;
  rssWithConfigMb: number;
  rssPeakDuringBuildMb: number;
  rssWithSnapshotMb: number;
  rssWithTwoSnapshotsMb: number;
  configAndSnapshotRssMb: number;
  snapshotRssMb: number;
  heapConfigMb: number;
  heapSnapshotMb: number;
}

/** Runs one child measurement. */
export async function measureSnapshotBuild(root: string, shape: ScaleShape): Promise<SnapshotBuildReading> {
  const args = ['--expose-gc', ...nodeTsArgs(join(root, 'bench/scale/snapshot-build-child.ts'), [JSON.stringify(shape), root])];
  const result = await runToCompletion(process.execPath, args, { cwd: root, timeoutMs: 600_000 });
  const line = result.stdout.split('\n').find((l) => l.startsWith('SCALE_SNAPSHOT_JSON '));
  if (result.code !== 0 || !line) throw new Error(`snapshot build child failed (${result.code}):\n${result.stdout}\n${result.stderr}`);
  return JSON.parse(line.slice('SCALE_SNAPSHOT_JSON '.length)) as SnapshotBuildReading;
}

const f1 = (n: number): string => n.toFixed(1);

export const snapshotBuildCase: BenchCase = {
  id: 'scale-snapshot',
  label: 'Scale: snapshot build time and resident memory',
  async run(ctx) {
    const shape = scaleShapeFor(ctx.options);
    await ensureGatehouseBuilt(ctx.root, ctx.log);
    const readings: SnapshotBuildReading[] = [];
    for (let round = 1; round <= ctx.options.rounds; round++) {
      const r = await measureSnapshotBuild(ctx.root, shape);
      readings.push(r);
      ctx.log(`scale-snapshot round ${round}: build ${f1(r.buildMs)} ms (rebuild ${f1(r.rebuildMs)} ms), config + snapshot ${f1(r.configAndSnapshotRssMb)} MB resident`);
      const metrics: Array<[string, number]> = [
        ['build_ms', r.buildMs],
        ['rebuild_ms', r.rebuildMs],
        ['config_and_snapshot_rss_mb', r.configAndSnapshotRssMb],
        ['snapshot_rss_mb', r.snapshotRssMb],
        ['peak_rss_mb', r.rssPeakDuringBuildMb],
        ['heap_snapshot_mb', r.heapSnapshotMb],
      ];
      for (const [metric, value] of metrics) ctx.record({ case: 'scale-snapshot', arm: 'gatehouse', size: '', round, metric, value, errors: 0 });
    }
    const med = (pick: (r: SnapshotBuildReading) => number): number => median(readings.map(pick));
    const range = (pick: (r: SnapshotBuildReading) => number): [number, number] | undefined =>
      readings.length > 1 ? [Math.min(...readings.map(pick)), Math.max(...readings.map(pick))] : undefined;
    const size = describeShape(shape);
    const full = shape.apis >= 10_000 && shape.subscriptions >= 100_000;
    const note = full ? undefined : `measured at ${size} (not the target's size)`;
    const figure = (name: string, target: string, unit: string, pick: (r: SnapshotBuildReading) => number): Figure => {
      const measured = med(pick);
      const out: Figure = { name, target, unit, measured, met: full ? meets(measured, target) : null };
      const spread = range(pick);
      if (spread) out.range = spread;
      if (note) out.note = note;
      return out;
    };
    const figures = [
      figure('snapshot build, 10,000 APIs x 10 operations (time)', '<= 3 s', 's', (r) => r.buildMs / 1000),
      figure('snapshot build, 10,000 APIs x 10 operations (resident memory of config + snapshot)', '<= 300 MB', 'MB', (r) => r.configAndSnapshotRssMb),
    ];
    return {
      figures,
      tables: [
        {
          title: `Scale: snapshot build (${size})`,
          header: ['measure', 'median', 'range'],
          rows: [
            ['first build in a fresh process (as at start), ms', f1(med((r) => r.buildMs)), fmtRange(range((r) => r.buildMs))],
            ['second build (as a reload), ms', f1(med((r) => r.rebuildMs)), fmtRange(range((r) => r.rebuildMs))],
            ['resident: process before the configuration, MB', f1(med((r) => r.rssBaselineMb)), fmtRange(range((r) => r.rssBaselineMb))],
            ['resident: + configuration (ServiceConfig), MB', f1(med((r) => r.rssWithConfigMb)), fmtRange(range((r) => r.rssWithConfigMb))],
            ['resident: + snapshot, after GC, MB', f1(med((r) => r.rssWithSnapshotMb)), fmtRange(range((r) => r.rssWithSnapshotMb))],
            ['resident: peak right after the build, before GC, MB', f1(med((r) => r.rssPeakDuringBuildMb)), fmtRange(range((r) => r.rssPeakDuringBuildMb))],
            ['resident: with two snapshots (during a reload), MB', f1(med((r) => r.rssWithTwoSnapshotsMb)), fmtRange(range((r) => r.rssWithTwoSnapshotsMb))],
            ['heap used by the snapshot, MB', f1(med((r) => r.heapSnapshotMb)), fmtRange(range((r) => r.heapSnapshotMb))],
          ],
          notes: [
            'Each round is a fresh `node --expose-gc` child building from the compiled dist/; the configuration is generated in memory (bench/scale/scale-config.ts), the same as the APIOps folder bench/scale/scale-folder.ts writes. The memory figure is what the configuration and its snapshot add to the process (resident after GC minus the process before them); the child runs under tsx, whose own memory is in the baseline.',
          ],
        },
      ],
    };
  },
};

function fmtRange(r: [number, number] | undefined): string {
  return r ? `${f1(r[0])}–${f1(r[1])}` : '–';
}
