/**
 * Run as its own process (`node --expose-gc --import tsx`): a gateway runtime from the compiled
 * dist/ (startGatewayRuntime, real listener and forwarder) serving the churn configuration,
 * swapped `swaps` times with `reload()` while requests flow between swaps (so every snapshot's
 * pipeline cache fills). Heap and resident memory are read after GC at checkpoints; a leak of
 * old snapshots shows as growth between the middle checkpoint and the last.
 * Prints `SCALE_SWAP_JSON {...}`. Arguments: ScaleShape JSON, backend URL, swap count, root.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { getHeapSpaceStatistics } from 'node:v8';
import { scaleServiceConfig } from './scale-config.js';
import { requestFor, type ScaleShape } from './scale-shape.js';

type RuntimeModule = typeof import('../../src/main/gateway-runtime.js');
type LoggerModule = typeof import('../../src/core/logger.js');

const shape = JSON.parse(process.argv[2] ?? '') as ScaleShape;
const backendUrl = process.argv[3] ?? '';
const swaps = Number(process.argv[4] ?? '1000');
const root = process.argv[5] ?? process.cwd();
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');

const dist = (path: string): string => pathToFileURL(join(root, 'dist', path)).href;
const { startGatewayRuntime } = (await import(dist('main/gateway-runtime.js'))) as RuntimeModule;
const { createLogger } = (await import(dist('core/logger.js'))) as LoggerModule;

const runtime = await startGatewayRuntime(scaleServiceConfig(shape, backendUrl, 'r0'), { host: '127.0.0.1', httpPort: 0, httpsPort: null, certificates: [] }, createLogger('silent'));
const base = runtime.listeners[0]!.url;

async function call(i: number): Promise<string | null> {
  const r = requestFor(shape, i);
  const res = await fetch(base + r.path, { headers: { 'Ocp-Apim-Subscription-Key': r.key } });
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`${r.path} answered ${res.status}`);
  return res.headers.get('x-bench-rev');
}

const checkpoints: Array<{ swap: number; heapUsedMb: number; codeSpaceMb: number; rssMb: number; externalMb: number }> = [];
const measure = (swap: number): void => {
  for (let k = 0; k < 4; k++) gc();
  const m = process.memoryUsage();
  // Machine code V8 generates as the process warms up lives in code space; kept apart from data.
  const code = getHeapSpaceStatistics().find((space) => space.space_name === 'code_space')?.space_used_size ?? 0;
  checkpoints.push({ swap, heapUsedMb: m.heapUsed / 1048576, codeSpaceMb: code / 1048576, rssMb: m.rss / 1048576, externalMb: m.external / 1048576 });
};
const warmup = Math.min(100, Math.floor(swaps / 10));
const marks = new Set([warmup, Math.round(swaps * 0.25), Math.round(swaps * 0.5), Math.round(swaps * 0.75), swaps]);
let wrong = 0;
for (let swap = 1; swap <= swaps; swap++) {
  runtime.reload(scaleServiceConfig(shape, backendUrl, `r${swap}`));
  // Requests on the new snapshot: API 0 (whose policy changed) and a few others, filling pipeline caches.
  if ((await call(0)) !== `r${swap}`) wrong++;
  for (let k = 1; k <= 4; k++) await call((swap * 4 + k) % shape.apis);
  if (marks.has(swap)) measure(swap);
}
await runtime.close();
// Growth is judged over the second half: the first half lets V8 finish compiling the code
// paths the swaps use (its code and bytecode grow then, and level off).
const first = checkpoints[0]!;
const half = checkpoints.find((c) => c.swap === Math.round(swaps * 0.5))!;
const last = checkpoints[checkpoints.length - 1]!;
const pct = (from: number, to: number): number => (100 * (to - from)) / from;
console.log(
  `SCALE_SWAP_JSON ${JSON.stringify({
    shape,
    swaps,
    wrongRevision: wrong,
    checkpoints,
    fromSwap: half.swap,
    heapGrowthMb: last.heapUsedMb - half.heapUsedMb,
    heapGrowthPct: pct(half.heapUsedMb, last.heapUsedMb),
    rssGrowthMb: last.rssMb - half.rssMb,
    rssGrowthPct: pct(half.rssMb, last.rssMb),
    heapGrowthFromWarmupMb: last.heapUsedMb - first.heapUsedMb,
    codeGrowthFromWarmupMb: last.codeSpaceMb - first.codeSpaceMb,
  })}`,
);
