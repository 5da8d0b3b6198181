/**
 * The soak run (issue "hardening"): a real `gatehouse start` (store mode, the built CLI) under
 * mixed traffic for a bounded time, loopback only, with a configuration change through the
 * management API every second, callers that hang up, and a backend route that resets its
 * connections. It reports every unexpected error (target 0), Gatehouse's resident memory (the start process and its gateway process) at
 * the start and the end, and the p99 latency of ordinary calls per window and its drift.
 *
 *   npm run soak                      10 minutes (600 s)
 *   npm run soak -- --duration 60     a shorter run (--concurrency N, --out DIR also)
 *
 * Writes bench/results/soak-<date>-<commit>.json (or into --out DIR) and exits 1 when any
 * unexpected error occurred, a configuration change failed or the process died.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent } from 'undici';
import { ensureGatehouseBuilt } from './harness/gatehouse-build.js';
import { commitInfo } from './harness/machine-info.js';
import { launchProcess } from './harness/process-launcher.js';
import { residentTreeMb } from './scale/process-memory.js';

const root = new URL('..', import.meta.url).pathname;
const args = process.argv.slice(2);
const flag = (name: string, fallback: number): number => {
  const at = args.indexOf(name);
  return at === -1 ? fallback : Number(args[at + 1]);
};
const durationSeconds = flag('--duration', 600);
const outDir = args.includes('--out') ? args[args.indexOf('--out') + 1]! : join(root, 'bench', 'results');
const concurrency = flag('--concurrency', 16);
const windowSeconds = Math.max(1, Math.min(30, Math.floor(durationSeconds / 10)));
const token = 'soak-admin-token-0123456789';
const service = '/subscriptions/soak/resourceGroups/soak/providers/Microsoft.ApiManagement/service/gatehouse';
const version = 'api-version=2024-05-01';

type Kind = 'ok' | 'slow' | 'reset' | 'hangup';
interface Window {
  from: number;
  ok: number[];
}

function startBackend(): Promise<Server> {
  const payload = Buffer.alloc(1024, 0x61);
  const server = createServer((req, res) => {
    if (req.url?.startsWith('/soak/reset')) return void req.socket.resetAndDestroy();
    if (req.url?.startsWith('/soak/slow')) {
      const timer = setTimeout(() => res.end(payload), 50);
      res.on('close', () => clearTimeout(timer));
      return;
    }
    res.end(payload);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** Gatehouse's resident memory: the start process and its gateway process (scale/process-memory.ts). */
function rssMb(pid: number): number {
  return residentTreeMb(pid) ?? 0;
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function pickKind(n: number): Kind {
  const r = n % 100;
  if (r < 90) return 'ok';
  if (r < 95) return 'slow';
  if (r < 98) return 'reset';
  return 'hangup';
}

async function main(): Promise<void> {
  await ensureGatehouseBuilt(root, (line) => console.log(line));
  const backend = await startBackend();
  const backendUrl = `http://127.0.0.1:${(backend.address() as AddressInfo).port}/soak`;
  const data = mkdtempSync(join(tmpdir(), 'gatehouse-soak-'));
  const proc = await launchProcess(
    process.execPath,
    [join(root, 'bin', 'gatehouse.js'), 'start', '--data', data, '--host', '127.0.0.1', '--gateway-port', '0', '--management-port', '0', '--management-https-port', '0', '--portal-port', '0', '--workers', '1', '--admin-token', token, '--access-log', 'off'],
    { cwd: root, name: 'gatehouse', env: { GATEHOUSE_LOG_LEVEL: 'warn' }, readyWhen: /management API \(http\): (\S+)/, readyTimeoutMs: 60_000 },
  );
  const management = proc.ready[1]!;
  const gateway = /gateway \(http\): (\S+)/.exec(proc.stdoutLines.join('\n'))?.[1];
  if (!gateway) throw new Error(`no gateway URL in:\n${proc.stdoutLines.join('\n')}`);
  const agent = new Agent({ connections: concurrency * 2 });
  const manage = async (method: string, path: string, body: unknown): Promise<number> => {
    const res = await fetch(`${management}${service}/${path}?${version}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    await res.text();
    return res.status;
  };
  const policy = (generation: number) => ({
    properties: {
      format: 'rawxml',
      value:
        '<policies><inbound><base /><rate-limit-by-key calls="1000000" renewal-period="60" counter-key="@(context.Request.IpAddress)" />' +
        `<set-header name="x-generation" exists-action="override"><value>${generation}</value></set-header></inbound>` +
        '<backend><forward-request timeout="10" /></backend><outbound><base /><set-header name="x-served" exists-action="override"><value>@(context.Operation.Name)</value></set-header></outbound><on-error><base /></on-error></policies>',
    },
  });
  const created = await manage('PUT', 'apis/soak', { properties: { displayName: 'Soak', path: 'soak', serviceUrl: backendUrl, protocols: ['http'], subscriptionRequired: false } });
  if (created !== 201 && created !== 200) throw new Error(`creating the soak API answered ${created}`);
  await manage('PUT', 'apis/soak/operations/any', { properties: { displayName: 'any', method: 'GET', urlTemplate: '/*' } });
  await manage('PUT', 'apis/soak/policies/policy', policy(0));
  // Wait until the gateway serves the new API.
  for (let i = 0; i < 100; i++) {
    const res = await fetch(`${gateway}/soak/ok`, { dispatcher: agent } as RequestInit).catch(() => undefined);
    await res?.text();
    if (res?.status === 200) break;
    await new Promise((r) => setTimeout(r, 100));
  }

  const counts: Record<string, number> = {};
  const unexpected: string[] = [];
  const count = (key: string) => void (counts[key] = (counts[key] ?? 0) + 1);
  const note = (what: string) => {
    count('unexpected');
    if (unexpected.length < 50) unexpected.push(what);
  };
  const started = performance.now();
  const endAt = started + durationSeconds * 1000;
  const windows: Window[] = [];
  const memory: Array<{ second: number; rssMb: number }> = [{ second: 0, rssMb: rssMb(proc.child.pid!) }];
  let configChanges = 0;
  let configFailures = 0;
  let sequence = 0;

  const caller = async (): Promise<void> => {
    while (performance.now() < endAt) {
      const kind = pickKind(sequence++);
      const t0 = performance.now();
      const controller = new AbortController();
      if (kind === 'hangup') setTimeout(() => controller.abort(), 5);
      try {
        const res = await fetch(`${gateway}/soak/${kind === 'hangup' ? 'slow' : kind}`, { dispatcher: agent, signal: controller.signal } as RequestInit);
        const body = await res.text();
        if (kind === 'reset') {
          if (res.status === 500 && body.includes('"statusCode":500')) count('reset-500');
          else note(`reset route answered ${res.status} ${body.slice(0, 100)}`);
        } else if (kind === 'hangup') {
          count('hangup-too-late');
        } else if (res.status === 200 && body.length === 1024) {
          count(kind);
          if (kind === 'ok') {
            const second = Math.floor((t0 - started) / 1000 / windowSeconds);
            (windows[second] ??= { from: second * windowSeconds, ok: [] }).ok.push(performance.now() - t0);
          }
        } else note(`${kind} answered ${res.status} ${body.slice(0, 100)}`);
      } catch (err) {
        if (kind === 'hangup' && controller.signal.aborted) count('hangup');
        else note(`${kind}: ${(err as Error).message} ${String((err as Error & { cause?: Error }).cause?.message ?? '')}`);
      }
    }
  };
  const configLoop = async (): Promise<void> => {
    let generation = 1;
    while (performance.now() < endAt) {
      await new Promise((r) => setTimeout(r, 1000));
      const status = await manage('PUT', 'apis/soak/policies/policy', policy(generation++)).catch(() => 0);
      if (status === 200 || status === 201) configChanges++;
      else configFailures++;
    }
  };
  const memoryLoop = async (): Promise<void> => {
    while (performance.now() < endAt) {
      await new Promise((r) => setTimeout(r, windowSeconds * 1000));
      memory.push({ second: Math.round((performance.now() - started) / 1000), rssMb: Math.round(rssMb(proc.child.pid!) * 10) / 10 });
      const done = Math.round((performance.now() - started) / 1000);
      console.log(`soak: ${done}/${durationSeconds} s, ${sequence} calls, ${counts.unexpected ?? 0} unexpected, rss ${memory.at(-1)!.rssMb} MB`);
    }
  };
  await Promise.all([...Array.from({ length: concurrency }, caller), configLoop(), memoryLoop()]);
  const alive = proc.child.exitCode === null;
  await proc.stop();
  await agent.close();
  backend.close();
  rmSync(data, { recursive: true, force: true });

  const p99s = windows.filter(Boolean).map((w) => ({ fromSecond: w.from, calls: w.ok.length, p99Ms: Math.round(percentile(w.ok, 99) * 100) / 100 }));
  // Drift: the last full window against the second (the first includes warm-up).
  const steady = p99s.slice(1, -1);
  const drift = steady.length >= 2 ? Math.round((steady.at(-1)!.p99Ms / steady[0]!.p99Ms) * 100) / 100 : null;
  const { commit, dirty } = await commitInfo(root);
  const result = {
    kind: 'soak',
    date: new Date().toISOString(),
    commit,
    dirty,
    durationSeconds,
    concurrency,
    calls: sequence,
    counts,
    unexpectedErrors: counts.unexpected ?? 0,
    unexpectedExamples: unexpected,
    configChanges,
    configFailures,
    processAlive: alive,
    memory: { startMb: Math.round(memory[0]!.rssMb * 10) / 10, endMb: memory.at(-1)!.rssMb, samples: memory },
    p99PerWindow: p99s,
    p99Drift: drift,
  };
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, `soak-${result.date.slice(0, 10)}-${commit}${dirty ? '-dirty' : ''}.json`);
  writeFileSync(file, JSON.stringify(result, null, 2) + '\n');
  console.log(
    `soak: ${durationSeconds} s, ${sequence} calls, ${configChanges} config changes (${configFailures} failed), unexpected errors ${result.unexpectedErrors}, ` +
      `memory ${result.memory.startMb} → ${result.memory.endMb} MB, p99 drift ${drift ?? 'n/a'}; ${file}`,
  );
  if (result.unexpectedErrors > 0 || configFailures > 0 || !alive) process.exit(1);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
