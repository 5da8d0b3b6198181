/**
 * Case `scale-import`: how `gatehouse start --config` grows with the folder. The same scale
 * folder (scale-folder.ts) at N APIs and at N/10 APIs (N = 2,000 in a full run, capped by
 * BENCH_SCALE_APIS; one subscription per API) is imported by a fresh child each
 * (config-import-child.ts), interleaved per round. Figure: import CPU time at N over N/10 (linear
 * is 10; a per-API cost that grows with the API count shows far above). Detail: the CPU of a
 * --config start (import + serve) over a start on the same store (serve: read the store, build
 * the snapshot).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureGatehouseBuilt } from '../harness/gatehouse-build.js';
import { nodeTsArgs, runToCompletion } from '../harness/process-launcher.js';
import { formatSummary, ratioFigure, summarize } from '../harness/result-aggregator.js';
import { median } from '../harness/stats.js';
import type { BenchCase, Figure } from '../harness/types.js';
import { writeScaleFolder } from './scale-folder.js';
import { scaleShapeFor } from './scale-options.js';
import type { ScaleShape } from './scale-shape.js';

const CASE = 'scale-import';
/** The measurement: 2,000 APIs against 200. */
const FULL_APIS = 2_000;

interface ImportReading {
  apis: number;
  importCpuMs: number;
  serveCpuMs: number;
}

/** The folder shape for `apis` APIs: one subscription each, a product per 100. */
function importShape(apis: number, operationsPerApi: number): ScaleShape {
  return { apis, operationsPerApi, subscriptions: apis, products: Math.max(1, Math.floor(apis / 100)) };
}

async function measureImport(root: string, folder: string, scratch: string): Promise<ImportReading> {
  const result = await runToCompletion(process.execPath, nodeTsArgs(join(root, 'bench/scale/config-import-child.ts'), [folder, root, scratch]), { cwd: root, timeoutMs: 1_800_000 });
  const line = result.stdout.split('\n').find((l) => l.startsWith('CONFIG_IMPORT_JSON '));
  if (result.code !== 0 || !line) throw new Error(`config import child failed (${result.code}):\n${result.stdout}\n${result.stderr}`);
  return JSON.parse(line.slice('CONFIG_IMPORT_JSON '.length)) as ImportReading;
}

export const configImportCase: BenchCase = {
  id: CASE,
  label: 'Scale: start --config import time, 10x the APIs',
  async run(ctx) {
    const scale = scaleShapeFor(ctx.options);
    const large = importShape(Math.min(scale.apis, FULL_APIS), scale.operationsPerApi);
    const small = importShape(Math.max(1, Math.floor(large.apis / 10)), scale.operationsPerApi);
    await ensureGatehouseBuilt(ctx.root, ctx.log);
    const workDir = mkdtempSync(join(tmpdir(), 'gatehouse-bench-import-'));
    try {
      const arms = [
        { id: 'import-small', shape: small, folder: join(workDir, 'small') },
        { id: 'import-large', shape: large, folder: join(workDir, 'large') },
      ];
      for (const arm of arms) await writeScaleFolder(arm.folder, arm.shape, 'http://127.0.0.1:9');
      const readings = new Map<string, ImportReading[]>(arms.map((a) => [a.id, []]));
      for (let round = 1; round <= ctx.options.rounds; round++) {
        for (const arm of arms) {
          const scratch = mkdtempSync(join(workDir, 'store-'));
          const r = await measureImport(ctx.root, arm.folder, scratch);
          rmSync(scratch, { recursive: true, force: true });
          if (r.apis !== arm.shape.apis) throw new Error(`${arm.id}: the store serves ${r.apis} APIs, the folder has ${arm.shape.apis}`);
          readings.get(arm.id)!.push(r);
          ctx.log(`${CASE} round ${round} ${arm.id} (${r.apis} APIs): import ${r.importCpuMs.toFixed(0)} ms CPU, serve ${r.serveCpuMs.toFixed(0)} ms CPU`);
          ctx.record({ case: CASE, arm: arm.id, size: '', round, metric: 'import_cpu_ms', value: r.importCpuMs, errors: 0 });
          ctx.record({ case: CASE, arm: arm.id, size: '', round, metric: 'serve_cpu_ms', value: r.serveCpuMs, errors: 0 });
        }
      }
      const n = (x: number): string => x.toLocaleString('en-US');
      const figure: Figure = ratioFigure(ctx.samples, {
        name: `start --config import CPU time, ${n(large.apis)} vs ${n(small.apis)} APIs (10x the APIs)`,
        target: '<= 12',
        case: CASE,
        metric: 'import_cpu_ms',
        size: '',
        numerator: 'import-large',
        denominator: 'import-small',
        selected: arms.map((a) => a.id),
      });
      const configOverStore = (id: string): string => {
        const rs = readings.get(id)!;
        return median(rs.map((r) => (r.importCpuMs + r.serveCpuMs) / r.serveCpuMs)).toFixed(2);
      };
      return {
        figures: [figure],
        tables: [
          {
            title: `Scale: start --config import (${n(small.apis)} and ${n(large.apis)} APIs × ${large.operationsPerApi} operations)`,
            header: ['folder', 'import, ms CPU', 'serve (read store + snapshot), ms CPU', '--config start / store start, CPU'],
            rows: arms.map((a) => [
              `${n(a.shape.apis)} APIs, ${n(a.shape.subscriptions)} subscriptions`,
              formatSummary(summarize(ctx.samples, { case: CASE, arm: a.id, size: '', metric: 'import_cpu_ms' })),
              formatSummary(summarize(ctx.samples, { case: CASE, arm: a.id, size: '', metric: 'serve_cpu_ms' })),
              configOverStore(a.id),
            ]),
            notes: [
              'Each measurement is a fresh child (bench/scale/config-import-child.ts) running the compiled dist/ on a new SQLite store: the tracked import `start --config` runs, then what a start on that store does (read the store, build the snapshot). CPU time is process.cpuUsage (main thread and file-system threads), so other work on the machine slows it less than wall time. Linear growth gives a ratio of 10; the target leaves 20 % for noise and warm-up.',
            ],
          },
        ],
      };
    } finally {
      rmSync(workDir, { recursive: true, force: true });
    }
  },
};
