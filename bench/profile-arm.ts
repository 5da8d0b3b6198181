// Profiling aid (not a test, not part of `npm run bench`): starts the fixed-size backend and the
// bare proxy or one Gatehouse arm's configuration (`--workers $PROFILE_WORKERS`, default 0) under
// `node $PROFILE_FLAGS` (default --cpu-prof), drives it with wrk for the given seconds, stops it
// with SIGINT, and prints each process's CPU time per request (user + system from /proc, the
// figure to compare between variants: a profile's shares are wall-clock samples) and where each
// profile's samples fall (self time by package and by function).
// `PROFILE_FLAGS=""` runs without a profiler; `--perf-basic-prof` lets `perf record -p` name JIT
// frames. `PROFILE_OBSERVE=off|log|metrics|on` and `PROFILE_POLICY=<file>` vary the typical set.
// Run: `npx tsx bench/profile-arm.ts bare|routing|typical [size=1KB] [seconds=10] [out=/tmp/gatehouse-profile]`
import { spawn, execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { apiFiles, writeApiopsFiles } from './harness/apiops-folder.js';
import { backendPath, parseSizes } from './harness/sizes.js';
import { startBackend } from './backend/start-backend.js';
import { nodeTsArgs } from './harness/process-launcher.js';
import { gatehouseStartArgs } from './arms/gatehouse-launcher.js';
import { typicalConfigFiles, typicalObservability } from './arms/gatehouse-typical.js';
import { TYPICAL_KEY, typicalPath } from './arms/typical-set.js';

const [armName = 'typical', sizeText = '1KB', secondsText = '10', outDir = '/tmp/gatehouse-profile'] = process.argv.slice(2);
const root = resolve(import.meta.dirname, '..');
const size = parseSizes(sizeText)[0]!;
rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
const backend = await startBackend(root, 1);
const configDir = armName === 'routing'
  ? writeApiopsFiles(join(outDir, 'config'), apiFiles('bench', { path: 'bench', serviceUrl: backend.url, subscriptionRequired: false }, ['/size/{n}']))
  : writeApiopsFiles(join(outDir, 'config'), {
      ...typicalConfigFiles(backend.url),
      // PROFILE_POLICY=<file>: the typical configuration with another API policy document.
      ...(process.env.PROFILE_POLICY ? { 'apis/typical/policy.xml': readFileSync(process.env.PROFILE_POLICY, 'utf8') } : {}),
    });
const path = armName === 'bare' ? backendPath(size) : armName === 'routing' ? `/bench${backendPath(size)}` : typicalPath(size);
const nodeFlags = (process.env.PROFILE_FLAGS ?? `--cpu-prof --cpu-prof-dir=${outDir}`).split(' ').filter(Boolean);
// PROFILE_OBSERVE: off, log (access log only), metrics (metrics only); the typical arm's default is both on.
const observeMode = process.env.PROFILE_OBSERVE ?? (armName === 'typical' ? 'on' : 'off');
const observe = ['--access-log', observeMode === 'on' || observeMode === 'log' ? typicalObservability.accessLogFile : 'off', '--metrics', observeMode === 'on' || observeMode === 'metrics' ? 'on' : 'off'];
const gatehouseArgs = [...gatehouseStartArgs(root, configDir, join(outDir, 'data')), '--workers', process.env.PROFILE_WORKERS ?? '0', ...observe];
// The bare proxy has no SIGINT handler: exiting through one lets --cpu-prof write its file.
const exitOnInterrupt = ['--import', 'data:text/javascript,process.on("SIGINT",()=>process.exit(0))'];
const programArgs = armName === 'bare' ? [...exitOnInterrupt, ...nodeTsArgs(join(root, 'bench/baselines/bare-node-proxy.ts'), [backend.url])] : gatehouseArgs;
// PROFILE_CALLGRIND=N: under valgrind's callgrind instead, instrumented only while exactly N
// requests run (after a warm-up), so the figure is instructions per request: stable on a shared machine.
const callgrindRequests = Number(process.env.PROFILE_CALLGRIND ?? 0);
const command = callgrindRequests > 0
  ? ['valgrind', '--tool=callgrind', '--instr-atstart=no', '--smc-check=all-non-file', `--callgrind-out-file=${outDir}/callgrind.out.%p`, process.execPath]
  : [process.execPath];
const child = spawn(command[0]!, [...command.slice(1), ...nodeFlags, ...programArgs], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, GATEHOUSE_LOG_LEVEL: 'warn' } });
const url = await new Promise<string>((ok) => {
  let seen = '';
  child.stdout!.on('data', (d: Buffer) => {
    // Kept whole in <out>/stdout.log: with PROFILE_FLAGS=--trace-gc, the collector's lines.
    appendFileSync(join(outDir, 'stdout.log'), d);
    seen += d.toString();
    const m = /gateway \(http\): (\S+)|bare proxy listening on (\S+)/.exec(seen);
    if (m) ok((m[1] ?? m[2])!);
  });
});
const header = armName === 'routing' || armName === 'bare' ? [] : ['-H', `Ocp-Apim-Subscription-Key: ${TYPICAL_KEY}`];
if (callgrindRequests > 0) {
  await countedRequests(url + path, header[1]?.split(': ') ?? [], 3 * callgrindRequests);
  execFileSync('callgrind_control', ['-i', 'on', String(child.pid)]);
  await countedRequests(url + path, header[1]?.split(': ') ?? [], callgrindRequests);
  execFileSync('callgrind_control', ['-d', String(child.pid)]);
  execFileSync('callgrind_control', ['-i', 'off', String(child.pid)]);
  const dump = readdirSync(outDir).find((f) => f.startsWith('callgrind.out.') && f.endsWith('.1'));
  const totals = dump ? /^(?:summary|totals): (\d+)/m.exec(readFileSync(join(outDir, dump), 'utf8')) : null;
  console.log(`callgrind: ${totals ? (Number(totals[1]) / callgrindRequests).toFixed(0) : '?'} instructions per request (${callgrindRequests} requests, ${dump})`);
  child.kill('SIGINT');
  await new Promise((ok) => child.once('exit', ok));
  await backend.process.stop();
  process.exit(0);
}
execFileSync('wrk', ['-t1', '-c32', '-d2s', ...header, url + path]);
const treeBefore = cpuTimes([child.pid!, backend.process.child?.pid ?? -1]);
const out = execFileSync('wrk', ['-t1', '-c32', `-d${secondsText}s`, ...header, url + path]).toString();
console.log(out.split('\n').filter((l) => /Requests\/sec|Non-2xx/.test(l)).join('\n'));
const requests = Number(/(\d+) requests in/.exec(out)?.[1] ?? 'NaN');
const treeAfter = cpuTimes([child.pid!, backend.process.child?.pid ?? -1]);
for (const [pid, after] of treeAfter) {
  const used = after.ticks - (treeBefore.get(pid)?.ticks ?? 0);
  if (used > 0) console.log(`cpu ${after.name.padEnd(40)} ${((used * 10_000) / requests).toFixed(1)} µs/request`);
}
child.kill('SIGINT');
await new Promise((ok) => child.once('exit', ok));
await backend.process.stop();
// One profile per process (with --workers N the gateway's are the ones with the most samples).
for (const file of readdirSync(outDir).filter((f) => f.endsWith('.cpuprofile'))) {
  console.log(`== ${file}`);
  summarise(JSON.parse(readFileSync(join(outDir, file), 'utf8')));
}

interface Node { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }
function summarise(profile: { nodes: Node[]; samples: number[] }): void {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  for (const s of profile.samples) self.set(s, (self.get(s) ?? 0) + 1);
  const total = profile.samples.length;
  const fn = new Map<string, number>();
  const pkg = new Map<string, number>();
  for (const [id, count] of self) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    const where = url.replace(/^file:\/\//, '').replace(root + '/', '');
    fn.set(`${functionName || '(anon)'} ${where}:${lineNumber + 1}`, (fn.get(`${functionName || '(anon)'} ${where}:${lineNumber + 1}`) ?? 0) + count);
    const p = !url ? functionName : url.startsWith('node:') ? 'node:' + url.slice(5).split('/')[1] : /node_modules\/([^/]+)/.exec(url)?.[1] ?? (where.split('/').slice(0, 3).join('/'));
    pkg.set(p, (pkg.get(p) ?? 0) + count);
  }
  const top = (m: Map<string, number>, n: number) => [...m].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, v]) => `${((100 * v) / total).toFixed(1).padStart(5)} %  ${k}`).join('\n');
  console.log(`samples ${total}\n-- by package/folder (self)\n${top(pkg, 30)}\n-- by function (self)\n${top(fn, 45)}`);
}

/** CPU time (user + system, in clock ticks of 10 ms) of each process in the trees under `roots`. */
function cpuTimes(roots: number[]): Map<number, { name: string; ticks: number }> {
  const all = readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number);
  const parent = new Map<number, number>();
  const stats = new Map<number, { name: string; ticks: number }>();
  for (const pid of all) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const fields = stat.slice(close + 2).split(' ');
      parent.set(pid, Number(fields[1]));
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).map((a) => a.split('/').pop()).join(' ').slice(0, 40);
      stats.set(pid, { name: `${pid} ${cmd}`, ticks: Number(fields[11]) + Number(fields[12]) });
    } catch {
      // gone meanwhile
    }
  }
  const inTree = (pid: number): boolean => {
    for (let p = pid; p > 1; p = parent.get(p) ?? 0) if (roots.includes(p)) return true;
    return false;
  };
  return new Map([...stats].filter(([pid]) => inTree(pid)));
}

/** Sends exactly `total` GET requests, 16 at a time on keep-alive connections; throws on a non-200. */
async function countedRequests(target: string, header: string[], total: number): Promise<void> {
  const { Pool } = await import('undici');
  const { origin, pathname } = new URL(target);
  const pool = new Pool(origin, { connections: 16 });
  let sent = 0;
  const worker = async (): Promise<void> => {
    while (sent < total) {
      sent++;
      const answer = await pool.request({ method: 'GET', path: pathname, headers: header.length === 2 ? { [header[0]!]: header[1]! } : {}, headersTimeout: 600_000, bodyTimeout: 600_000 });
      await answer.body.dump();
      if (answer.statusCode !== 200) throw new Error(`status ${answer.statusCode}`);
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  await pool.close();
}
