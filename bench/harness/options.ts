/** The harness's command line (`npm run bench -- [flags]`): full-run defaults, `--quick` defaults, overrides. */
import { isAbsolute, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parseSizes } from './sizes.js';
import type { HarnessOptions } from './types.js';

export const USAGE = `Usage: npm run bench -- [--quick] [flags]
  --quick                   small, fast run (< 2 minutes): 1 round, 2 s per measurement
  --arms a,b,...            arms to run (default: all; see bench/arms/index.ts)
  --cases a,b,...           cases to run (default: all; see bench/cases/index.ts)
  --rounds N                interleaved rounds (full: 3, quick: 1)
  --duration S              seconds per closed-loop measurement (full: 10, quick: 2)
  --warmup S                warm-up seconds per arm, cycling the sizes (full: 10, quick: 1; 0 = none)
  --connections N           wrk connections (default 32)
  --threads N               wrk threads (default 1)
  --latency-duration S      seconds per open-loop measurement (full: 10, quick: 2)
  --latency-connections N   open-loop connections (default 64)
  --latency-size SIZE       response size of the latency case (default 1KB)
  --latency-rate N          fixed open-loop rate in req/s (default: half of Gatehouse's max rate)
  --sizes 0B,1KB,64KB       response sizes (default: all three)
  --backend-processes N     backend processes (default 1)
  --no-install              fail instead of installing wrk, nginx or the npm gateways
  --out DIR                 folder for the JSON result (default bench/results)`;

function positiveInt(name: string, text: string | undefined, fallback: number, allowZero = false): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < (allowZero ? 0 : 1)) throw new Error(`--${name} expects a ${allowZero ? 'non-negative' : 'positive'} integer, got '${text}'`);
  return n;
}

function list(text: string | undefined, known: readonly string[], what: string): string[] {
  if (text === undefined) return [...known];
  const wanted = text.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = wanted.filter((w) => !known.includes(w));
  if (unknown.length > 0) throw new Error(`unknown ${what} ${unknown.join(', ')} (known: ${known.join(', ')})`);
  return known.filter((k) => wanted.includes(k));
}

/** Parses the flags; `knownArms`/`knownCases` are the registered ids (selection keeps their order). */
export function parseHarnessOptions(args: readonly string[], root: string, knownArms: readonly string[], knownCases: readonly string[]): HarnessOptions | 'help' {
  const { values } = parseArgs({
    args: [...args],
    options: {
      quick: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
      'no-install': { type: 'boolean' },
      ...Object.fromEntries(
        ['arms', 'cases', 'rounds', 'duration', 'warmup', 'connections', 'threads', 'latency-duration', 'latency-connections', 'latency-size', 'latency-rate', 'sizes', 'backend-processes', 'out'].map(
          (f) => [f, { type: 'string' as const }],
        ),
      ),
    },
    strict: true,
    allowPositionals: false,
  });
  const v = values as Record<string, string | boolean | undefined>;
  if (v.help) return 'help';
  const s = (name: string): string | undefined => (typeof v[name] === 'string' ? (v[name] as string) : undefined);
  const quick = v.quick === true;
  const out = s('out') ?? join(root, 'bench', 'results');
  return {
    quick,
    rounds: positiveInt('rounds', s('rounds'), quick ? 1 : 3),
    duration: positiveInt('duration', s('duration'), quick ? 2 : 10),
    warmup: positiveInt('warmup', s('warmup'), quick ? 1 : 10, true),
    connections: positiveInt('connections', s('connections'), 32),
    threads: positiveInt('threads', s('threads'), 1),
    latencyDuration: positiveInt('latency-duration', s('latency-duration'), quick ? 2 : 10),
    latencyConnections: positiveInt('latency-connections', s('latency-connections'), 64),
    latencySize: s('latency-size') ?? '1KB',
    latencyRate: s('latency-rate') === undefined ? null : positiveInt('latency-rate', s('latency-rate'), 1),
    sizes: parseSizes(s('sizes') ?? '0B,1KB,64KB'),
    arms: list(s('arms'), knownArms, 'arm'),
    cases: list(s('cases'), knownCases, 'case'),
    backendProcesses: positiveInt('backend-processes', s('backend-processes'), 1),
    install: v['no-install'] !== true,
    outDir: isAbsolute(out) ? out : resolve(process.cwd(), out),
  };
}
