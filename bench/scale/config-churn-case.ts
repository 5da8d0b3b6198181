/**
 * Case `scale-churn`: a configuration change every 100 ms under load (issue 6: for 60 s; 5 s with
 * `--quick`), and no memory growth across 1,000 swaps. Two gateways, each measured in steady
 * state and while churning, interleaved in every round, under the same wrk load:
 *
 * - `in-process`: a gateway runtime (churn-gateway-child.ts) that builds and swaps in a new
 *   snapshot every 100 ms itself, so exactly ten swaps a second happen: the cost of the swap and
 *   of building next to live traffic, nothing else.
 * - `SIGHUP`: the real `gatehouse start --config` process; the driver rewrites API 0's policy
 *   file and sends SIGHUP every 100 ms, each a full reload through the product's path (load
 *   the folder, build, swap). SIGHUP rather than `--watch`, because the watcher debounces (150 ms
 *   quiet time) and would merge changes 100 ms apart into about one reload a second. Reloads
 *   that arrive while one runs are merged, so under saturating load fewer than ten a second
 *   complete; the count is reported.
 *
 * Figures: failed requests during churn (target 0) and p99 while churning over steady state
 * (target ≤ 2) for each. Memory across 1,000 swaps is measured in-process
 * (swap-memory-child.ts, `--expose-gc`), where garbage collection can be forced before each
 * reading; another process's resident size without a forced GC mostly shows when V8 last
 * collected, not whether old snapshots leak.
 */
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureGatehouseBuilt } from '../harness/gatehouse-build.js';
import { launchProcess, nodeTsArgs, runToCompletion, type LaunchedProcess } from '../harness/process-launcher.js';
import { formatSummary, summarize } from '../harness/result-aggregator.js';
import { median } from '../harness/stats.js';
import type { BenchCase, CaseContext, Figure } from '../harness/types.js';
import type { ClosedLoopResult } from '../load/wrk.js';
import { ensureWrk } from '../load/wrk.js';
import { residentTreeMb } from './process-memory.js';
import { writeScaleFolder } from './scale-folder.js';
import { churnSeconds, describeShape, swapCount } from './scale-options.js';
import { CHURN_SHAPE, apiName, apiPolicyXml, requestFor } from './scale-shape.js';
import { runWrkList, writeRequestList } from './wrk-request-list.js';

const CASE = 'scale-churn';
const CHANGE_EVERY_MS = 100;

interface SwapReading {
  swaps: number;
  wrongRevision: number;
  checkpoints: Array<{ swap: number; heapUsedMb: number; codeSpaceMb: number; rssMb: number }>;
  /** Growth is measured from this swap (the middle) to the last. */
  fromSwap: number;
  heapGrowthMb: number;
  rssGrowthMb: number;
  heapGrowthPct: number;
  rssGrowthPct: number;
  heapGrowthFromWarmupMb: number;
  codeGrowthFromWarmupMb: number;
}

/** A gateway under churn: how to start and stop changing its configuration. */
interface ChurnTarget {
  id: string;
  label: string;
  baseUrl: string;
  process: LaunchedProcess;
  startChurn(): void;
  /** Stops churning; resolves with the number of changes made in this period. */
  stopChurn(): Promise<number>;
  /** Swaps that completed so far. */
  swapsDone(): number;
  /** The revision API 0 must answer with once the last change is served. */
  lastRevision(): string;
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

async function startSighupTarget(ctx: CaseContext, workDir: string): Promise<ChurnTarget & { reloads: ReturnType<typeof countReloads> }> {
  const configDir = join(workDir, 'config');
  await writeScaleFolder(configDir, CHURN_SHAPE, ctx.backendUrl);
  const proc = await launchProcess(
    process.execPath,
    [join(ctx.root, 'bin', 'gatehouse.js'), 'start', '--config', configDir, '--data', join(workDir, 'data'), '--gateway-port', '0', '--management-port', '0', '--management-https-port', '0', '--portal-port', '0', '--host', '127.0.0.1', '--workers', '1', '--access-log', 'off', '--metrics', 'off'],
    { cwd: ctx.root, name: 'gatehouse (SIGHUP churn)', env: { GATEHOUSE_LOG_LEVEL: 'info' }, readyWhen: /gateway \(http\): (\S+)/ },
  );
  const reloads = countReloads(proc);
  let revision = 0;
  let periodStart = 0;
  let timer: NodeJS.Timeout | null = null;
  return {
    id: 'sighup',
    label: 'gatehouse start --config, file change + SIGHUP',
    baseUrl: proc.ready[1]!,
    process: proc,
    reloads,
    startChurn() {
      periodStart = revision;
      timer = setInterval(() => {
        revision++;
        // Written beside and renamed over, as deployment tools do, so a reload never reads half a file.
        const folder = join(configDir, 'apis', apiName(0));
        writeFileSync(join(folder, '.policy.xml.next'), apiPolicyXml(0, `r${revision}`));
        renameSync(join(folder, '.policy.xml.next'), join(folder, 'policy.xml'));
        proc.child.kill('SIGHUP');
      }, CHANGE_EVERY_MS);
    },
    async stopChurn() {
      if (timer) clearInterval(timer);
      timer = null;
      return revision - periodStart;
    },
    swapsDone: () => reloads.ok,
    lastRevision: () => `r${revision}`,
  };
}

async function startInProcessTarget(ctx: CaseContext): Promise<ChurnTarget> {
  const proc = await launchProcess(process.execPath, nodeTsArgs(join(ctx.root, 'bench/scale/churn-gateway-child.ts'), [JSON.stringify(CHURN_SHAPE), ctx.backendUrl, ctx.root]), {
    cwd: ctx.root,
    name: 'gateway runtime (in-process churn)',
    readyWhen: /gateway \(http\): (\S+)/,
  });
  let swaps = 0;
  let revision = 0;
  return {
    id: 'in-process',
    label: 'gateway runtime, reload() every 100 ms',
    baseUrl: proc.ready[1]!,
    process: proc,
    startChurn() {
      proc.child.kill('SIGUSR1');
    },
    async stopChurn() {
      const seen = proc.stdoutLines.length;
      proc.child.kill('SIGUSR2');
      for (let k = 0; k < 200; k++) {
        const line = proc.stdoutLines.slice(seen).find((l) => l.startsWith('SWAPS '));
        if (line) {
          const [, count, rev] = line.split(' ');
          const made = Number(count) - swaps;
          swaps = Number(count);
          revision = Number(rev);
          return made;
        }
        await new Promise((r) => setTimeout(r, 25));
      }
      throw new Error('the in-process churn gateway did not report its swaps');
    },
    swapsDone: () => swaps,
    lastRevision: () => `r${revision}`,
  };
}

async function measureSwapMemory(ctx: CaseContext, swaps: number): Promise<SwapReading> {
  const args = ['--expose-gc', ...nodeTsArgs(join(ctx.root, 'bench/scale/swap-memory-child.ts'), [JSON.stringify(CHURN_SHAPE), ctx.backendUrl, String(swaps), ctx.root])];
  const result = await runToCompletion(process.execPath, args, { cwd: ctx.root, timeoutMs: 900_000 });
  const line = result.stdout.split('\n').find((l) => l.startsWith('SCALE_SWAP_JSON '));
  if (result.code !== 0 || !line) throw new Error(`swap memory child failed (${result.code}):\n${result.stdout}\n${result.stderr}`);
  return JSON.parse(line.slice('SCALE_SWAP_JSON '.length)) as SwapReading;
}

/** Asks API 0 until it answers with the last revision (bounded); returns what it answered. */
async function lastServedRevision(target: ChurnTarget): Promise<string | null> {
  const r0 = requestFor(CHURN_SHAPE, 0);
  let served: string | null = null;
  for (let k = 0; k < 100 && served !== target.lastRevision(); k++) {
    const res = await fetch(target.baseUrl + r0.path, { headers: { 'Ocp-Apim-Subscription-Key': r0.key } });
    await res.arrayBuffer();
    served = res.headers.get('x-bench-rev');
    if (served !== target.lastRevision()) await new Promise((r) => setTimeout(r, 50));
  }
  return served;
}

export const configChurnCase: BenchCase = {
  id: CASE,
  label: 'Scale: a configuration change every 100 ms under load; memory across 1,000 swaps',
  async run(ctx) {
    const churnTotalS = churnSeconds(ctx.options);
    const rounds = ctx.options.rounds;
    const roundS = Math.max(1, Math.round(churnTotalS / rounds));
    const wrk = await ensureWrk(ctx.options.install, ctx.log);
    await ensureGatehouseBuilt(ctx.root, ctx.log);
    const workDir = mkdtempSync(join(tmpdir(), 'gatehouse-bench-churn-'));
    const targets: ChurnTarget[] = [];
    try {
      targets.push(await startInProcessTarget(ctx));
      const sighup = await startSighupTarget(ctx, workDir);
      targets.push(sighup);
      const listFile = writeRequestList(join(workDir, 'request.txt'), [requestFor(CHURN_SHAPE, 0)]);
      const load = (target: ChurnTarget, durationS: number): Promise<ClosedLoopResult> =>
        runWrkList(wrk, ctx.root, { baseUrl: target.baseUrl, listFile, connections: ctx.options.connections, threads: ctx.options.threads, durationS });

      if (ctx.options.warmup > 0) for (const target of targets) await load(target, ctx.options.warmup);
      const rssBefore = new Map(targets.map((t) => [t.id, residentTreeMb(t.process.child.pid)]));
      const changes = new Map(targets.map((t) => [t.id, 0]));
      for (let round = 1; round <= rounds; round++) {
        for (const target of targets) {
          const steady = await load(target, roundS);
          target.startChurn();
          let churned: ClosedLoopResult;
          try {
            churned = await load(target, roundS);
          } finally {
            changes.set(target.id, changes.get(target.id)! + (await target.stopChurn()));
          }
          for (const [phase, r] of [['steady', steady], ['churn', churned]] as const) {
            const arm = `${target.id}-${phase}`;
            ctx.record({ case: CASE, arm, size: '0B', round, metric: 'rps', value: r.rps, errors: r.errors });
            ctx.record({ case: CASE, arm, size: '0B', round, metric: 'p50_ms', value: r.p50Ms, errors: 0 });
            ctx.record({ case: CASE, arm, size: '0B', round, metric: 'p99_ms', value: r.p99Ms, errors: 0 });
          }
          ctx.log(
            `${CASE} round ${round} ${target.id}: steady p99 ${steady.p99Ms.toFixed(2)} ms (${steady.errors} failed), ` +
              `churn p99 ${churned.p99Ms.toFixed(2)} ms (${churned.errors} failed), ${target.swapsDone()} swaps so far`,
          );
        }
      }
      const served = new Map<string, string | null>();
      for (const target of targets) served.set(target.id, await lastServedRevision(target));
      const rssAfter = new Map(targets.map((t) => [t.id, residentTreeMb(t.process.child.pid)]));

      const swaps = swapCount(ctx.options);
      ctx.log(`${CASE}: ${swaps} in-process swaps for the memory check`);
      const memory = await measureSwapMemory(ctx, swaps);

      const of = (arm: string, metric: string) => ctx.samples.filter((s) => s.case === CASE && s.arm === arm && s.metric === metric);
      const figures: Figure[] = [];
      for (const target of targets) {
        const failed = of(`${target.id}-churn`, 'rps').reduce((n, s) => n + s.errors, 0);
        figures.push({ name: `config change every 100 ms for ${churnTotalS} s (${target.id}): failed requests`, target: '<= 0', unit: '', measured: failed, met: failed === 0 });
        const steadyP99 = median(of(`${target.id}-steady`, 'p99_ms').map((s) => s.value));
        const churnP99 = median(of(`${target.id}-churn`, 'p99_ms').map((s) => s.value));
        const perRound = of(`${target.id}-churn`, 'p99_ms')
          .map((c) => c.value / (of(`${target.id}-steady`, 'p99_ms').find((s) => s.round === c.round)?.value ?? NaN))
          .filter(Number.isFinite);
        const ratio: Figure = { name: `config change every 100 ms (${target.id}): p99 churn / steady state`, target: '<= 2', unit: '', measured: churnP99 / steadyP99, met: churnP99 / steadyP99 <= 2 };
        if (perRound.length > 1) ratio.range = [Math.min(...perRound), Math.max(...perRound)];
        figures.push(ratio);
      }
      figures.push({
        name: `memory growth across ${memory.swaps.toLocaleString('en-US')} swaps (heap after GC, swap ${memory.fromSwap} → ${memory.swaps})`,
        target: '<= 2 %',
        unit: '%',
        measured: memory.heapGrowthPct,
        met: memory.heapGrowthPct <= 2 && memory.wrongRevision === 0,
        note: `heap ${memory.heapGrowthMb.toFixed(2)} MB, resident ${memory.rssGrowthMb.toFixed(1)} MB (${memory.rssGrowthPct.toFixed(1)} %)`,
      });
      const mb = (x: number | null | undefined): string => (x === null || x === undefined ? '–' : x.toFixed(0));
      const rows: string[][] = [];
      for (const target of targets) {
        for (const phase of ['steady', 'churn']) {
          const arm = `${target.id}-${phase}`;
          rows.push([
            `${target.label}: ${phase === 'steady' ? 'steady state' : `change every ${CHANGE_EVERY_MS} ms`}`,
            formatSummary(summarize(ctx.samples, { case: CASE, arm, size: '0B', metric: 'rps' })),
            formatSummary(summarize(ctx.samples, { case: CASE, arm, size: '0B', metric: 'p50_ms' }), 2),
            formatSummary(summarize(ctx.samples, { case: CASE, arm, size: '0B', metric: 'p99_ms' }), 2),
          ]);
        }
      }
      return {
        figures,
        tables: [
          {
            title: `Scale: configuration churn (${describeShape(CHURN_SHAPE)})`,
            header: ['gateway and load', 'requests/s', 'p50 ms', 'p99 ms'],
            rows,
            notes: [
              `${rounds} round(s); per round and gateway ${roundS} s steady then ${roundS} s churning, the same wrk load (${ctx.options.connections} connections) on API 0, whose policy every change rewrites (response header x-bench-rev).`,
              ...targets.map(
                (t) =>
                  `${t.label}: ${changes.get(t.id)} changes, ${t.swapsDone()} swaps completed; the last change was ${served.get(t.id) === t.lastRevision() ? 'served' : `NOT served (saw ${served.get(t.id)})`}; resident ${mb(rssBefore.get(t.id))} MB before churn, ${mb(rssAfter.get(t.id))} MB after (no forced GC).`,
              ),
              `SIGHUP reloads: ${sighup.reloads.ok} completed, ${sighup.reloads.failed} failed${sighup.reloads.failed ? ` (last: ${sighup.reloads.lastFailure.slice(0, 300)})` : ''}; SIGHUPs arriving during a reload are merged into the next one.`,
              `Memory across swaps, in-process (bench/scale/swap-memory-child.ts, --expose-gc): ${memory.swaps} reload() calls with requests between them; heap after GC ${memory.checkpoints.map((c) => `${c.heapUsedMb.toFixed(1)} MB @${c.swap}`).join(', ')} (of which V8 code space ${memory.checkpoints.map((c) => c.codeSpaceMb.toFixed(1)).join(', ')} MB); resident ${memory.checkpoints.map((c) => `${c.rssMb.toFixed(0)} MB @${c.swap}`).join(', ')}; ${memory.wrongRevision} responses with a stale revision right after a swap. Growth is judged over the second half; the first half is V8 warming up (code space +${memory.codeGrowthFromWarmupMb.toFixed(2)} MB of +${memory.heapGrowthFromWarmupMb.toFixed(2)} MB heap since swap ${memory.checkpoints[0]!.swap}).`,
            ],
          },
        ],
      };
    } finally {
      await Promise.allSettled(targets.map((t) => t.process.stop()));
      rmSync(workDir, { recursive: true, force: true });
    }
  },
};
