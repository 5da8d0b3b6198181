/**
 * Case `latency`: open-loop latency at a fixed rate, half of Gatehouse's own maximum (its median
 * closed-loop rate from the throughput case, or a short wrk run when that case was not run), for
 * every arm, interleaved over the rounds. Reports the latency each Gatehouse arm adds to direct.
 */
import { differenceFigure, formatSummary, summarize } from '../harness/result-aggregator.js';
import { ALL_SIZES } from '../harness/sizes.js';
import type { BenchCase, Figure } from '../harness/types.js';
import { runOpenLoop } from '../load/open-loop.js';
import { ensureWrk, runWrk } from '../load/wrk.js';
import { THROUGHPUT_CASE } from './closed-loop-throughput.js';

export const LATENCY_CASE = 'latency';
/** A direct p99 above this (ms) means the machine itself was too busy for latency figures to mean much. */
const BUSY_MACHINE_P99_MS = 10;

export const openLoopLatencyCase: BenchCase = {
  id: LATENCY_CASE,
  label: 'open-loop latency',
  async run(ctx) {
    const { options } = ctx;
    const size = ALL_SIZES.find((s) => s.label.toUpperCase() === options.latencySize.toUpperCase());
    if (!size) throw new Error(`unknown --latency-size '${options.latencySize}'`);
    const selected = ctx.arms.map((a) => a.arm.id);
    const gatehouseArms = selected.filter((id) => id.startsWith('gatehouse'));
    // Whose max rate sets the load: the typical set when it runs, else the first Gatehouse arm, else any proxy.
    const reference = selected.includes('gatehouse-typical') ? 'gatehouse-typical' : gatehouseArms[0] ?? selected.find((id) => id !== 'direct') ?? selected[0]!;
    let maxRate = options.latencyRate !== null ? options.latencyRate * 2 : summarize(ctx.samples, { case: THROUGHPUT_CASE, arm: reference, size: size.label, metric: 'rps' })?.median;
    if (maxRate === undefined) {
      const wrk = await ensureWrk(options.install, ctx.log);
      const running = ctx.arms.find((a) => a.arm.id === reference)!.running;
      const r = await runWrk(wrk, ctx.root, { url: running.baseUrl + running.pathFor(size), headers: running.headers, connections: options.connections, threads: options.threads, durationS: options.duration });
      maxRate = r.rps;
    }
    const rate = Math.max(1, Math.round(maxRate / 2));
    ctx.log(`open loop at ${rate} req/s (half of ${reference}'s ${maxRate.toFixed(0)} req/s at ${size.label})`);

    for (let round = 1; round <= options.rounds; round++) {
      for (const { arm, running } of ctx.arms) {
        const r = await runOpenLoop(ctx.root, {
          url: running.baseUrl + running.pathFor(size),
          headers: running.headers,
          rate,
          durationS: options.latencyDuration,
          connections: options.latencyConnections,
        });
        for (const [metric, value] of [['p50_ms', r.p50Ms], ['p99_ms', r.p99Ms]] as const) {
          ctx.record({ case: LATENCY_CASE, arm: arm.id, size: size.label, round, metric, value, errors: metric === 'p50_ms' ? r.errors : 0 });
        }
        ctx.log(`latency round ${round}/${options.rounds} ${arm.id}: p50 ${r.p50Ms.toFixed(3)} ms, p99 ${r.p99Ms.toFixed(3)} ms${r.errors ? `, ${r.errors} failed` : ''}`);
      }
    }

    const figures: Figure[] = [];
    const figureArms = gatehouseArms.length > 0 ? gatehouseArms : ['gatehouse-typical'];
    for (const arm of figureArms) {
      const label = ctx.arms.find((a) => a.arm.id === arm)?.arm.label ?? arm;
      for (const [metric, name, target] of [['p50_ms', 'p50', '<= 0.3 ms'], ['p99_ms', 'p99', '<= 2 ms']] as const) {
        figures.push(
          differenceFigure(ctx.samples, {
            name: `added ${name} latency vs direct, ${label}, open loop at ${rate} req/s (${size.label})`,
            target,
            case: LATENCY_CASE,
            metric,
            size: size.label,
            arm,
            baseline: 'direct',
            unit: 'ms',
            selected,
          }),
        );
      }
    }
    const direct = (metric: string) => summarize(ctx.samples, { case: LATENCY_CASE, arm: 'direct', size: size.label, metric });
    const added = (arm: string, metric: string): string => {
      const a = summarize(ctx.samples, { case: LATENCY_CASE, arm, size: size.label, metric });
      const d = direct(metric);
      return a && d && arm !== 'direct' ? (a.median - d.median).toFixed(3) : '–';
    };
    const rows = ctx.arms.map(({ arm }) => {
      const p50 = summarize(ctx.samples, { case: LATENCY_CASE, arm: arm.id, size: size.label, metric: 'p50_ms' });
      const p99 = summarize(ctx.samples, { case: LATENCY_CASE, arm: arm.id, size: size.label, metric: 'p99_ms' });
      return [arm.label, formatSummary(p50 && { ...p50, errors: 0 }, 3), formatSummary(p99 && { ...p99, errors: 0 }, 3), added(arm.id, 'p50_ms'), added(arm.id, 'p99_ms'), String(p50?.errors ?? 0)];
    });
    const notes = [
      `Rate = half of ${reference}'s median closed-loop rate (${maxRate.toFixed(0)} req/s); the same rate for every arm, so an arm slower than that queues and its latency shows it.`,
      `Latency is measured from each request's intended send time (no coordinated omission), by bench/load/open-loop-generator.ts over at most ${options.latencyConnections} connections.`,
    ];
    // Direct has no proxy: a large tail there is the machine (other work, CPU starvation), not an arm.
    const directP99 = direct('p99_ms')?.median;
    if (directP99 !== undefined && directP99 > BUSY_MACHINE_P99_MS) {
      notes.push(`⚠ direct itself had a p99 of ${directP99.toFixed(1)} ms: the machine was busy during this case, so the latency figures are unreliable; rerun on a quiet machine.`);
    }
    return {
      figures,
      tables: [
        {
          title: `Latency, open loop at ${rate} req/s, ${size.label}: ms, median (min–max) over ${options.rounds} round(s) of ${options.latencyDuration} s`,
          header: ['arm', 'p50', 'p99', 'added p50', 'added p99', 'failed'],
          rows,
          notes,
        },
      ],
    };
  },
};
