/**
 * Turns recorded samples into what the tables show: per arm/size/metric medians with their range
 * over rounds, and ratio figures computed as ratios of medians (issue 6: "ratios of medians from
 * the same run") with the range of the per-round ratios as spread.
 */
import { median, range } from './stats.js';
import type { Figure, Sample } from './types.js';

export interface Summary {
  median: number;
  range: [number, number];
  rounds: number;
  errors: number;
}

export interface SampleKey {
  case: string;
  arm: string;
  size: string;
  metric: string;
}

function matching(samples: readonly Sample[], key: SampleKey): Sample[] {
  return samples.filter((s) => s.case === key.case && s.arm === key.arm && s.size === key.size && s.metric === key.metric);
}

/** Median, range, round count and summed errors of the samples with `key`; null when there are none. */
export function summarize(samples: readonly Sample[], key: SampleKey): Summary | null {
  const found = matching(samples, key);
  if (found.length === 0) return null;
  const values = found.map((s) => s.value);
  return { median: median(values), range: range(values), rounds: found.length, errors: found.reduce((n, s) => n + s.errors, 0) };
}

/** Formats a summary as `median (min–max)` with `digits` decimals, or `–`. */
export function formatSummary(summary: Summary | null, digits = 0): string {
  if (!summary) return '–';
  const f = (n: number): string => n.toFixed(digits);
  const spread = summary.rounds > 1 ? ` (${f(summary.range[0])}–${f(summary.range[1])})` : '';
  const errors = summary.errors > 0 ? ` ⚠ ${summary.errors} failed` : '';
  return `${f(summary.median)}${spread}${errors}`;
}

/** What a figure compares against its target. */
export type TargetCheck = { op: '>=' | '<='; value: number };

/** Parses `>= 0.95` / `<= 0.3 ms` into a check. */
export function parseTarget(target: string): TargetCheck {
  const m = /^(>=|<=)\s*([\d.]+)/.exec(target.trim());
  if (!m) throw new Error(`bad target '${target}'`);
  return { op: m[1] as '>=' | '<=', value: Number(m[2]) };
}

/** Whether `measured` meets `target`. */
export function meets(measured: number, target: string): boolean {
  const check = parseTarget(target);
  return check.op === '>=' ? measured >= check.value : measured <= check.value;
}

/**
 * The figure `numerator / denominator` for one metric and size: ratio of the medians, spread from
 * the per-round ratios. `null` measured (with a note) when an arm was not run.
 */
export function ratioFigure(
  samples: readonly Sample[],
  spec: { name: string; target: string; case: string; metric: string; size: string; numerator: string; denominator: string; selected: readonly string[] },
): Figure {
  const base: Figure = { name: spec.name, target: spec.target, measured: null, unit: '', met: null };
  const missing = [spec.numerator, spec.denominator].filter((a) => !spec.selected.includes(a));
  if (missing.length > 0) return { ...base, note: `not run: arm ${missing.join(', ')} not selected` };
  const num = matching(samples, { case: spec.case, arm: spec.numerator, size: spec.size, metric: spec.metric });
  const den = matching(samples, { case: spec.case, arm: spec.denominator, size: spec.size, metric: spec.metric });
  if (num.length === 0 || den.length === 0) return { ...base, note: 'not measured' };
  const measured = median(num.map((s) => s.value)) / median(den.map((s) => s.value));
  const perRound = num
    .map((n) => {
      const d = den.find((x) => x.round === n.round);
      return d ? n.value / d.value : NaN;
    })
    .filter((r) => Number.isFinite(r));
  const errors = [...num, ...den].reduce((n, s) => n + s.errors, 0);
  const figure: Figure = { ...base, measured, met: meets(measured, spec.target) };
  if (perRound.length > 1) figure.range = range(perRound);
  if (errors > 0) figure.note = `${errors} failed requests while measuring`;
  return figure;
}

/** The figure `arm − baseline` of one metric (e.g. added p50 latency in ms): difference of the medians. */
export function differenceFigure(
  samples: readonly Sample[],
  spec: { name: string; target: string; case: string; metric: string; size: string; arm: string; baseline: string; unit: string; selected: readonly string[] },
): Figure {
  const base: Figure = { name: spec.name, target: spec.target, measured: null, unit: spec.unit, met: null };
  const missing = [spec.arm, spec.baseline].filter((a) => !spec.selected.includes(a));
  if (missing.length > 0) return { ...base, note: `not run: arm ${missing.join(', ')} not selected` };
  const a = matching(samples, { case: spec.case, arm: spec.arm, size: spec.size, metric: spec.metric });
  const b = matching(samples, { case: spec.case, arm: spec.baseline, size: spec.size, metric: spec.metric });
  if (a.length === 0 || b.length === 0) return { ...base, note: 'not measured' };
  const measured = median(a.map((s) => s.value)) - median(b.map((s) => s.value));
  const perRound = a
    .map((x) => {
      const y = b.find((s) => s.round === x.round);
      return y ? x.value - y.value : NaN;
    })
    .filter((d) => Number.isFinite(d));
  const errors = [...a, ...b].reduce((n, s) => n + s.errors, 0);
  const figure: Figure = { ...base, measured, met: meets(measured, spec.target) };
  if (perRound.length > 1) figure.range = range(perRound);
  if (errors > 0) figure.note = `${errors} failed requests while measuring`;
  return figure;
}
