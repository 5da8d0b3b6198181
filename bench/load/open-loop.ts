/** Runs the open-loop generator (bench/load/open-loop-generator.ts) as a child process and reads its summary. */
import { join } from 'node:path';
import { nodeTsArgs, runToCompletion } from '../harness/process-launcher.js';

export interface OpenLoopResult {
  sent: number;
  completed: number;
  errors: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  rate: number;
}

/**
 * Sends `rate` requests per second to `url` for a short unrecorded warm-up (a fifth of the
 * duration, 0.5–2 s) and then `durationS` seconds, and returns the latency percentiles.
 */
export async function runOpenLoop(
  root: string,
  run: { url: string; headers: Record<string, string>; rate: number; durationS: number; connections: number },
): Promise<OpenLoopResult> {
  const settings = { ...run, warmupS: Math.min(2, Math.max(0.5, run.durationS / 5)) };
  const result = await runToCompletion(process.execPath, nodeTsArgs(join(root, 'bench/load/open-loop-generator.ts'), [JSON.stringify(settings)]), {
    cwd: root,
    timeoutMs: (run.durationS + 60) * 1000,
  });
  const line = result.stdout.split('\n').find((l) => l.startsWith('OPEN_LOOP_JSON '));
  if (result.code !== 0 || !line) throw new Error(`open-loop generator failed (${result.code}) for ${run.url}:\n${result.stdout}\n${result.stderr}`);
  return JSON.parse(line.slice('OPEN_LOOP_JSON '.length)) as OpenLoopResult;
}
