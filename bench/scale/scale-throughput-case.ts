/**
 * Case `scale-throughput`: requests per second through the real gateway process serving one API
 * versus the scale configuration (10,000 APIs × 10 operations, 100,000 subscriptions), both
 * loaded from APIOps folders (scale-folder.ts), side by side, interleaved in every round:
 *   - 1 API, the same request every time;
 *   - 10,000 APIs, the same request to one of them;
 *   - 10,000 APIs, requests spread over all of them, each with a key valid for its API.
 * Every request carries a subscription key and runs the API policy (a header each way).
 * Target: 10,000 APIs vs 1 API ≥ 0.95.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { startGatehouse, type GatehouseInstance } from '../arms/gatehouse-launcher.js';
import { ensureGatehouseBuilt } from '../harness/gatehouse-build.js';
import { ratioFigure, summarize, formatSummary } from '../harness/result-aggregator.js';
import type { BenchCase, CaseContext, Figure } from '../harness/types.js';
import { ensureWrk } from '../load/wrk.js';
import { residentTreeMb } from './process-memory.js';
import { writeScaleFolder } from './scale-folder.js';
import { describeShape, scaleShapeFor } from './scale-options.js';
import { ONE_API_SHAPE, requestFor, type ScaleShape } from './scale-shape.js';
import { runWrkList, writeRequestList } from './wrk-request-list.js';

const CASE = 'scale-throughput';

interface ScaleArm {
  id: string;
  label: string;
  gateway: GatehouseInstance;
  listFile: string;
}

/** Starts a gateway on a freshly written folder of `shape`; returns it with its start time. */
async function startScaleGateway(ctx: CaseContext, workDir: string, shape: ScaleShape, name: string): Promise<{ gateway: GatehouseInstance; writeMs: number; startMs: number; files: number }> {
  const configDir = join(workDir, `${name}-config`);
  let t = performance.now();
  const files = await writeScaleFolder(configDir, shape, ctx.backendUrl);
  const writeMs = performance.now() - t;
  ctx.log(`${CASE}: wrote ${files} files for ${describeShape(shape)} in ${(writeMs / 1000).toFixed(1)} s`);
  t = performance.now();
  const gateway = await startGatehouse(ctx.root, configDir, join(workDir, `${name}-data`), ctx.log, { readyTimeoutMs: 600_000 });
  const startMs = performance.now() - t;
  ctx.log(`${CASE}: ${name} gateway ready at ${gateway.url} after ${(startMs / 1000).toFixed(1)} s`);
  return { gateway, writeMs, startMs, files };
}

/** Every request of the list must be answered 200 with the API policy's header before measuring. */
async function preflight(baseUrl: string, requests: ReadonlyArray<{ path: string; key: string }>, label: string): Promise<void> {
  const step = Math.max(1, Math.floor(requests.length / 200));
  for (let k = 0; k < requests.length; k += step) {
    const r = requests[k]!;
    const res = await fetch(baseUrl + r.path, { headers: { 'Ocp-Apim-Subscription-Key': r.key } });
    const body = await res.text();
    if (res.status !== 200 || !res.headers.get('x-bench-rev')) {
      throw new Error(`${label}: preflight ${r.path} answered ${res.status} (x-bench-rev: ${res.headers.get('x-bench-rev')}): ${body.slice(0, 300)}`);
    }
  }
}

export const scaleThroughputCase: BenchCase = {
  id: CASE,
  label: 'Scale: throughput with 1 API vs 10,000 APIs',
  async run(ctx) {
    const shape = scaleShapeFor(ctx.options);
    const wrk = await ensureWrk(ctx.options.install, ctx.log);
    // Built before the clock starts, so the start time below is the gateway's alone.
    await ensureGatehouseBuilt(ctx.root, ctx.log);
    const workDir = mkdtempSync(join(tmpdir(), 'gatehouse-bench-scale-'));
    const started: GatehouseInstance[] = [];
    try {
      const one = await startScaleGateway(ctx, workDir, ONE_API_SHAPE, 'one-api');
      started.push(one.gateway);
      const many = await startScaleGateway(ctx, workDir, shape, 'many-apis');
      started.push(many.gateway);
      const rssAfterStart = residentTreeMb(many.gateway.process.child.pid);

      const lists = join(workDir, 'lists');
      mkdirSync(lists, { recursive: true });
      const same = [requestFor(ONE_API_SHAPE, 0)];
      // API 0 has the same path and key in both configurations, so the two "same" arms send identical bytes.
      if (requestFor(shape, 0).path !== same[0]!.path || requestFor(shape, 0).key !== same[0]!.key) throw new Error('API 0 differs between the shapes');
      const spread = Array.from({ length: shape.apis }, (_, k) => requestFor(shape, (k * 7919) % shape.apis));
      const arms: ScaleArm[] = [
        { id: 'one-api', label: '1 API, same request', gateway: one.gateway, listFile: writeRequestList(join(lists, 'same.txt'), same) },
        { id: 'many-apis-same', label: `${shape.apis.toLocaleString('en-US')} APIs, same request to one API`, gateway: many.gateway, listFile: join(lists, 'same.txt') },
        { id: 'many-apis-spread', label: `${shape.apis.toLocaleString('en-US')} APIs, requests spread over all of them`, gateway: many.gateway, listFile: writeRequestList(join(lists, 'spread.txt'), spread) },
      ];
      await preflight(one.gateway.url, same, arms[0]!.label);
      await preflight(many.gateway.url, same, arms[1]!.label);
      await preflight(many.gateway.url, spread, arms[2]!.label);

      const run = (arm: ScaleArm, durationS: number) =>
        runWrkList(wrk, ctx.root, { baseUrl: arm.gateway.url, listFile: arm.listFile, connections: ctx.options.connections, threads: ctx.options.threads, durationS });
      if (ctx.options.warmup > 0) for (const arm of arms) await run(arm, ctx.options.warmup);
      for (let round = 1; round <= ctx.options.rounds; round++) {
        for (const arm of arms) {
          const r = await run(arm, ctx.options.duration);
          ctx.log(`${CASE} round ${round} ${arm.id}: ${r.rps.toFixed(0)} req/s, p99 ${r.p99Ms.toFixed(2)} ms, ${r.errors} errors`);
          ctx.record({ case: CASE, arm: arm.id, size: '0B', round, metric: 'rps', value: r.rps, errors: r.errors });
          ctx.record({ case: CASE, arm: arm.id, size: '0B', round, metric: 'p99_ms', value: r.p99Ms, errors: 0 });
        }
      }
      const rssAfterLoad = residentTreeMb(many.gateway.process.child.pid);
      const rssOne = residentTreeMb(one.gateway.process.child.pid);

      const selected = arms.map((a) => a.id);
      const full = shape.apis >= 10_000;
      const note = full ? undefined : `measured at ${describeShape(shape)} (not the target's size)`;
      const figures: Figure[] = [
        ratioFigure(ctx.samples, { name: '10,000 APIs vs 1 API, requests per second (same request)', target: '>= 0.95', case: CASE, metric: 'rps', size: '0B', numerator: 'many-apis-same', denominator: 'one-api', selected }),
        ratioFigure(ctx.samples, { name: '10,000 APIs vs 1 API, requests per second (spread over all APIs)', target: '>= 0.95', case: CASE, metric: 'rps', size: '0B', numerator: 'many-apis-spread', denominator: 'one-api', selected }),
      ].map((f) => (note ? { ...f, note: f.note ? `${f.note}; ${note}` : note } : f));
      const mb = (x: number | null): string => (x === null ? '–' : x.toFixed(0));
      return {
        figures,
        tables: [
          {
            title: `Scale: throughput, 1 API vs ${describeShape(shape)}`,
            header: ['arm', 'requests/s', 'p99 ms'],
            rows: arms.map((a) => [
              a.label,
              formatSummary(summarize(ctx.samples, { case: CASE, arm: a.id, size: '0B', metric: 'rps' })),
              formatSummary(summarize(ctx.samples, { case: CASE, arm: a.id, size: '0B', metric: 'p99_ms' }), 2),
            ]),
            notes: [
              `Both gateways are real \`gatehouse start --config\` processes (1 process each) loading APIOps folders written by bench/scale/scale-folder.ts; every request carries a subscription key (API- or product-scoped) and runs the API policy (set-header inbound and outbound); backend /size/0.`,
              `The spread arm cycles over ${spread.length.toLocaleString('en-US')} requests, one per API, each with a key valid for that API; all arms use the same wrk script (bench/scale/wrk-request-list.lua).`,
              `Large configuration: ${many.files.toLocaleString('en-US')} files written in ${(many.writeMs / 1000).toFixed(1)} s; gateway start (load folder + build snapshot) ${(many.startMs / 1000).toFixed(1)} s; resident ${mb(rssAfterStart)} MB after start, ${mb(rssAfterLoad)} MB after the load rounds (1-API gateway: ${mb(rssOne)} MB).`,
            ],
          },
        ],
      };
    } finally {
      await Promise.allSettled(started.map((g) => g.process.stop()));
      rmSync(workDir, { recursive: true, force: true });
    }
  },
};
