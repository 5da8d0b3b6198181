/**
 * Run as its own process: a gateway runtime from the compiled dist/ (startGatewayRuntime, the
 * real listener, handler and forwarder) serving the churn configuration, which swaps in a new
 * snapshot every 100 ms while churning: SIGUSR1 starts, SIGUSR2 stops and prints
 * `SWAPS <count> <revision>`. Each swap is `reload()` of a configuration built in memory whose
 * API 0 policy carries the new revision, so exactly ten snapshots a second are built and
 * swapped. Prints `gateway (http): URL` when listening. Arguments: ScaleShape JSON, backend
 * URL, repository root.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { scaleServiceConfig } from './scale-config.js';
import type { ScaleShape } from './scale-shape.js';

type RuntimeModule = typeof import('../../src/main/gateway-runtime.js');
type LoggerModule = typeof import('../../src/core/logger.js');

const shape = JSON.parse(process.argv[2] ?? '') as ScaleShape;
const backendUrl = process.argv[3] ?? '';
const root = process.argv[4] ?? process.cwd();
const dist = (path: string): string => pathToFileURL(join(root, 'dist', path)).href;
const { startGatewayRuntime } = (await import(dist('main/gateway-runtime.js'))) as RuntimeModule;
const { createLogger } = (await import(dist('core/logger.js'))) as LoggerModule;

const runtime = await startGatewayRuntime(scaleServiceConfig(shape, backendUrl, 'r0'), { host: '127.0.0.1', httpPort: 0, httpsPort: null, certificates: [] }, createLogger('warn'));
let revision = 0;
let swaps = 0;
let timer: NodeJS.Timeout | null = null;

process.on('SIGUSR1', () => {
  timer ??= setInterval(() => {
    revision++;
    runtime.reload(scaleServiceConfig(shape, backendUrl, `r${revision}`));
    swaps++;
  }, 100);
});
process.on('SIGUSR2', () => {
  if (timer) clearInterval(timer);
  timer = null;
  console.log(`SWAPS ${swaps} ${revision}`);
});
process.on('SIGTERM', () => {
  if (timer) clearInterval(timer);
  void runtime.close().then(() => process.exit(0));
});
console.log(`gateway (http): ${runtime.listeners[0]!.url}`);
