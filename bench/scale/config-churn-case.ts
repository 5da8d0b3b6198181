/**
 * Case `scale-churn`: a configuration change every 100 ms under load (issue 6: for 60 s; 5 s with
 * `--quick`), and no memory growth across 1,000 swaps.
 *
 * Churn goes through the product's own reload path in a real gateway process: the driver
 * rewrites API 0's policy file and sends SIGHUP every 100 ms, so each change is one full reload
 * (load the folder, build the snapshot on the side, swap). SIGHUP rather than `--watch`, because
 * the watcher debounces (150 ms quiet time), which would merge changes 100 ms apart into about
 * one reload a second and measure fewer swaps than asked. Steady and churn rounds alternate with
 * the same wrk load; the figures are failed requests during churn (target 0) and p99 during
 * churn over steady state (target ≤ 2).
 *
 * Memory across 1,000 swaps is measured in-process (swap-memory-child.ts, `--expose-gc`), where
 * garbage collection can be forced before each reading: resident memory of another process
 * without a forced GC mostly shows when V8 last collected, not whether old snapshots leak.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureGatehouseBuilt } from '../harness/gatehouse-build.js';
import { launchProcess, nodeTsArgs, runToCompletion, type LaunchedProcess } from '../harness/process-launcher.js';
import { formatSummary, summarize } from '../harness/result-aggregator.js';
import { median } from '../harness/stats.js';
import type { BenchCase, CaseContext, Figure } from '../harness/types.js';
import { ensureWrk } from '../load/wrk.js';
import { residentMb } from './process-memory.js';
import { writeScaleFolder } from './scale-folder.js';
import { describeShape } from './scale-options.js';
import { CHURN_SHAPE, apiName, apiPolicyXml, requestFor, type ScaleShape } from './scale-shape.js';
import { runWrkList, writeRequestList } from './wrk-request-list.js';

const CASE = 'scale-churn';
const CHANGE_EVERY_MS = 100;

interface SwapReading {
  swaps: number;
  wrongRevision: number;
  checkpoints: Array<{ swap: number; heapUsedMb: number; rssMb: number }>;
  heapGrowthMb: number;
  rssGrowthMb: number;
  heapGrowthPct: number;
  rssGrowthPct: number;
}

/** Counts the gateway's reload log lines as they arrive (the launcher keeps only a tail). */
function countReloads(proc: LaunchedProcess): { ok: number; failed: number; lastFailure: string } {
  const counts = { ok: 0, failed: 0, lastFailure: '' };
  let carry = '';
  proc.child.stderr!.on('data', (chunk: string | Buffer) => {
    const lines = (carry + chunk.toString()).split('\n');
    carry = lines.pop() ?? '';
    for (const line of lines) {
      if (line.includes('"msg":"configuration reloaded"')) counts.ok++;
      else if (line.includes('configuration not reloaded')) {
        counts.failed++;
        counts.lastFailure = line;
      }
    }
  });
  return counts;
}

/** Rewrites API 0's policy and signals a reload every 100 ms until stopped; returns the change count. */
function startChurn(configDir: string, proc: LaunchedProcess, first: number): { stop(): number } {
  let revision = first;
  const timer = setInterval(() => {
    revision++;
    writeFileSync(join(configDir, 'apis', apiName(0), 'policy.xml'), apiPolicyXml(0, `r${revision}`));
    proc.child.kill('SIGHUP');
  }, CHANGE_EVERY_MS);
  return {
    stop() {
      clearInterval(timer);
      return revision;
    },
  };
}

async function measureSwapMemory(ctx: CaseContext, shape: ScaleShape, swaps: number): Promise<SwapReading> {
  const args = ['--expose-gc', ...nodeTsArgs(join(ctx.root, 'bench/scale/swap-memory-child.ts'), [JSON.stringify(shape), ctx.backendUrl, String(swaps), ctx.root])];
  const result = await runToCompletion(process.execPath, args, { cwd: ctx.root, timeoutMs: 900_000 });
  const line = result.stdout.split('\n').find((l) => l.startsWith('SCALE_SWAP_JSON '));
  if (result.code !== 0 || !line) throw new Error(`swap memory child failed (${result.code}):\n${result.stdout}\n${result.stderr}`);
  return JSON.parse(line.slice('SCALE_SWAP_JSON '.length)) as SwapReading;
}

export const configChurnCase: BenchCase = {
  id: CASE,
  label: 'Scale: a configuration change every 100 ms under load; memory across 1,000 swaps',
  async run(ctx) {
    const shape = CHURN_SHAPE;
    const churnTotalS = ctx.options.quick ? 5 : 60;
    const rounds = ctx.options.rounds;
    const roundS = Math.max(1, Math.round(churnTotalS / rounds));
    const wrk = await ensureWrk(ctx.options.install, ctx.log);
    await ensureGatehouseBuilt(ctx.root, ctx.log);
    const workDir = mkdtempSync(join(tmpdir(), 'gatehouse-bench-churn-'));
    let gateway: LaunchedProcess | null = null;
    try {
      const configDir = join(workDir, 'config');
      await writeScaleFolder(configDir, shape, ctx.backendUrl);
      gateway = await launchProcess(
        process.execPath,
        [join(ctx.root, 'bin', 'gatehouse.js'), 'start', '--config', configDir, '--data', join(workDir, 'data'), '--gateway-port', '0', '--host', '127.0.0.1'],
        { cwd: ctx.root, name: 'gatehouse (churn)', env: { GATEHOUSE_LOG_LEVEL: 'info' }, readyWhen: /gateway \(http\): (\S+)/ },
      );
      const proc = gateway;
      const baseUrl = gateway.ready[1]!;
      const reloads = countReloads(gateway);
      const listFile = writeRequestList(join(workDir, 'request.txt'), [requestFor(shape, 0)]);
      const load = (durationS: number) => runWrkList(wrk, ctx.root, { baseUrl, listFile, connections: ctx.options.connections, threads: ctx.options.threads, durationS });

      if (ctx.options.warmup > 0) await load(ctx.options.warmup);
      const rssBefore = residentMb(gateway.child.pid);
      let revision = 0;
      let changes = 0;
      for (let round = 1; round <= rounds; round++) {
        const steady = await load(roundS);
        const churn = startChurn(configDir, proc, revision);
        let churned;
        try {
          churned = await load(roundS);
        } finally {
          const last = churn.stop();
          changes += last - revision;
          revision = last;
        }
        for (const [arm, r] of [['steady', steady], ['churn', churned]] as const) {
          ctx.record({ case: CASE, arm, size: '0B', round, metric: 'rps', value: r.rps, errors: r.errors });
          ctx.record({ case: CASE, arm, size: '0B', round, metric: 'p99_ms', value: r.p99Ms, errors: r.errors });
          ctx.record({ case: CASE, arm, size: '0B', round, metric: 'p50_ms', value: r.p50Ms, errors: 0 });
        }
        ctx.log(`${CASE} round ${round}: steady p99 ${steady.p99Ms.toFixed(2)} ms (${steady.errors} errors), churn p99 ${churned.p99Ms.toFixed(2)} ms (${churned.errors} errors), ${reloads.ok} reloads so far`);
      }
      // The last change must be served: wait (bounded) for its reload, then check the header.
      const r0 = requestFor(shape, 0);
      let served: string | null = null;
      for (let k = 0; k < 100 && served !== `r${revision}`; k++) {
        const res = await fetch(baseUrl + r0.path, { headers: { 'Ocp-Apim-Subscription-Key': r0.key } });
        await res.arrayBuffer();
        served = res.headers.get('x-bench-rev');
        if (served !== `r${revision}`) await new Promise((r) => setTimeout(r, 50));
      }
      const rssAfter = residentMb(gateway.child.pid);

      const swapCount = ctx.options.quick ? 200 : 1000;
      ctx.log(`${CASE}: ${swapCount} in-process swaps for the memory check`);
      const swaps = await measureSwapMemory(ctx, shape, swapCount);

      const samples = (arm: string, metric: string) => ctx.samples.filter((s) => s.case === CASE && s.arm === arm && s.metric === metric);
      const churnErrors = samples('churn', 'rps').reduce((n, s) => n + s.errors, 0);
      const steadyP99 = median(samples('steady', 'p99_ms').map((s) => s.value));
      const churnP99 = median(samples('churn', 'p99_ms').map((s) => s.value));
      const perRound = samples('churn', 'p99_ms')
        .map((c) => c.value / (samples('steady', 'p99_ms').find((s) => s.round === c.round)?.value ?? NaN))
        .filter(Number.isFinite);
      const p99Ratio: Figure = { name: 'config change every 100 ms: p99 during churn / steady state', target: '<= 2', unit: '', measured: churnP99 / steadyP99, met: churnP99 / steadyP99 <= 2 };
      if (perRound.length > 1) p99Ratio.range = [Math.min(...perRound), Math.max(...perRound)];
      const heapGrowthPct = swaps.heapGrowthPct;
      const figures: Figure[] = [
        { name: `config change every 100 ms for ${churnTotalS} s: failed requests`, target: '<= 0', unit: '', measured: churnErrors, met: churnErrors === 0 },
        p99Ratio,
        {
          name: `memory growth across ${swaps.swaps.toLocaleString('en-US')} swaps (heap after GC)`,
          target: '<= 5 %',
          unit: '%',
          measured: heapGrowthPct,
          met: heapGrowthPct <= 5 && swaps.wrongRevision === 0,
          note: `heap ${swaps.heapGrowthMb.toFixed(2)} MB, resident ${swaps.rssGrowthMb.toFixed(1)} MB (${swaps.rssGrowthPct.toFixed(1)} %) from swap ${swaps.checkpoints[0]!.swap} to ${swaps.swaps}`,
        },
      ];
      const mb = (x: number | null): string => (x === null ? '–' : x.toFixed(0));
      return {
        figures,
        tables: [
          {
            title: `Scale: configuration churn (${describeShape(shape)})`,
            header: ['load', 'requests/s', 'p50 ms', 'p99 ms'],
            rows: ['steady', 'churn'].map((arm) => [
              arm === 'steady' ? 'steady state' : `change every ${CHANGE_EVERY_MS} ms`,
              formatSummary(summarize(ctx.samples, { case: CASE, arm, size: '0B', metric: 'rps' })),
              formatSummary(summarize(ctx.samples, { case: CASE, arm, size: '0B', metric: 'p50_ms' }), 2),
              formatSummary(summarize(ctx.samples, { case: CASE, arm, size: '0B', metric: 'p99_ms' }), 2),
            ]),
            notes: [
              `${rounds} round(s) of ${roundS} s steady then ${roundS} s churn, same wrk load (${ctx.options.connections} connections) on API 0, whose policy each change rewrites; the driver writes the file and sends SIGHUP every ${CHANGE_EVERY_MS} ms (each a full reload: load folder, build, swap).`,
              `${changes} changes made, ${reloads.ok} reloads completed (SIGHUPs arriving during a reload are merged into the next one), ${reloads.failed} failed${reloads.failed ? ` (last: ${reloads.lastFailure.slice(0, 300)})` : ''}; the last change was ${served === `r${revision}` ? 'served' : `NOT served (saw ${served})`}.`,
              `Gateway resident memory: ${mb(rssBefore)} MB before churn, ${mb(rssAfter)} MB after (no forced GC; informational).`,
              `Memory across swaps, in-process (bench/scale/swap-memory-child.ts, --expose-gc): ${swaps.swaps} reload() calls with requests between them; heap after GC ${swaps.checkpoints.map((c) => `${c.heapUsedMb.toFixed(1)} MB @${c.swap}`).join(', ')}; resident ${swaps.checkpoints.map((c) => `${c.rssMb.toFixed(0)} MB @${c.swap}`).join(', ')}; ${swaps.wrongRevision} responses with a stale revision right after a swap.`,
            ],
          },
        ],
      };
    } finally {
      await gateway?.stop();
      rmSync(workDir, { recursive: true, force: true });
    }
  },
};
