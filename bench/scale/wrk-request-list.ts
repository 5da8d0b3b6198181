/** Closed-loop load with wrk over a list of requests (paths and keys), for the scale cases. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ClosedLoopResult } from '../load/wrk.js';
import { runToCompletion } from '../harness/process-launcher.js';

export interface ListRun {
  baseUrl: string;
  /** File written by writeRequestList. */
  listFile: string;
  connections: number;
  threads: number;
  durationS: number;
}

/** Writes `requests` as the list file wrk-request-list.lua reads; returns its path. */
export function writeRequestList(path: string, requests: ReadonlyArray<{ path: string; key: string }>): string {
  writeFileSync(path, requests.map((r) => `${r.path}\t${r.key}\n`).join(''));
  return path;
}

/** Runs wrk once with the request list and returns its summary (errors = non-2xx/3xx + socket errors). */
export async function runWrkList(wrk: string, root: string, run: ListRun): Promise<ClosedLoopResult> {
  const args = ['-t', String(run.threads), '-c', String(Math.max(run.connections, run.threads)), '-d', `${run.durationS}s`, '--timeout', '5s'];
  args.push('-s', join(root, 'bench/scale/wrk-request-list.lua'), run.baseUrl);
  const env = { BENCH_REQUEST_LIST: run.listFile, BENCH_WRK_REPORT: join(root, 'bench/load/wrk-report.lua') };
  const result = await runToCompletion(wrk, args, { env, timeoutMs: (run.durationS + 30) * 1000 });
  const line = result.stdout.split('\n').find((l) => l.startsWith('WRK_JSON '));
  if (result.code !== 0 || !line) throw new Error(`wrk failed (${result.code}) for ${run.baseUrl}:\n${result.stdout}\n${result.stderr}`);
  const s = JSON.parse(line.slice('WRK_JSON '.length)) as Record<string, number>;
  return {
    rps: s.requests! / (s.duration_us! / 1e6),
    requests: s.requests!,
    errors: s.status! + s.connect! + s.read! + s.write! + s.timeout!,
    p50Ms: s.p50_us! / 1000,
    p99Ms: s.p99_us! / 1000,
  };
}
