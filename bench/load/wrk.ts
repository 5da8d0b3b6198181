/** Closed-loop load with wrk (Debian package `wrk`, installed when missing): requests per second and errors. */
import { join } from 'node:path';
import { runToCompletion } from '../harness/process-launcher.js';
import { ensureCommand } from '../harness/system-packages.js';

export interface ClosedLoopResult {
  rps: number;
  requests: number;
  /** Non-2xx/3xx answers plus socket errors and timeouts. */
  errors: number;
  p50Ms: number;
  p99Ms: number;
}

export interface ClosedLoopRun {
  url: string;
  /** Several paths on the URL's origin, cycled through (warm-up only: no summary is read). */
  rotatePaths?: string[];
  headers: Record<string, string>;
  connections: number;
  threads: number;
  durationS: number;
}

/** Returns the wrk binary, installing the Debian package when allowed. */
export function ensureWrk(install: boolean, log: (line: string) => void): Promise<string> {
  return ensureCommand('wrk', 'wrk', install, log);
}

/** Runs wrk once against `url` and returns its summary (NaNs for a rotating warm-up run). */
export async function runWrk(wrk: string, root: string, run: ClosedLoopRun): Promise<ClosedLoopResult> {
  const script = run.rotatePaths ? 'wrk-rotate.lua' : 'wrk-report.lua';
  const args = ['-t', String(run.threads), '-c', String(Math.max(run.connections, run.threads)), '-d', `${run.durationS}s`, '--timeout', '5s', '-s', join(root, 'bench/load', script)];
  for (const [name, value] of Object.entries(run.headers)) args.push('-H', `${name}: ${value}`);
  args.push(run.url);
  if (run.rotatePaths) args.push('--', ...run.rotatePaths);
  const result = await runToCompletion(wrk, args, { timeoutMs: (run.durationS + 30) * 1000 });
  if (run.rotatePaths) {
    if (result.code !== 0) throw new Error(`wrk warm-up failed (${result.code}) for ${run.url}:\n${result.stdout}\n${result.stderr}`);
    return { rps: NaN, requests: NaN, errors: 0, p50Ms: NaN, p99Ms: NaN };
  }
  const line = result.stdout.split('\n').find((l) => l.startsWith('WRK_JSON '));
  if (result.code !== 0 || !line) throw new Error(`wrk failed (${result.code}) for ${run.url}:\n${result.stdout}\n${result.stderr}`);
  const s = JSON.parse(line.slice('WRK_JSON '.length)) as Record<string, number>;
  const seconds = s.duration_us! / 1e6;
  return {
    rps: s.requests! / seconds,
    requests: s.requests!,
    errors: s.status! + s.connect! + s.read! + s.write! + s.timeout!,
    p50Ms: s.p50_us! / 1000,
    p99Ms: s.p99_us! / 1000,
  };
}
