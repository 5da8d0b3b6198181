/**
 * Starts the built `gatehouse` CLI as a real process (port 0, its own data folder) and reads the
 * URLs it prints. The test runner (scripts/run-tests.mjs) rebuilds `dist/` when it is older than
 * `src/`; a test started some other way on a stale build is refused here.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { staleBuildReasons } from '../../../scripts/dist-freshness.mjs';

const root = new URL('../../..', import.meta.url).pathname;
export const cliPath = join(root, 'bin', 'gatehouse.js');

export interface GatehouseProcess {
  child: ChildProcess;
  /** Lines printed on stdout so far. */
  stdout: string[];
  stderr: string[];
  /** The first HTTP gateway URL printed. */
  gatewayUrl: string;
  httpsUrl?: string;
  stop(): Promise<number | null>;
}

/** Roots found fresh by this test process: a file starts the CLI many times from one build. */
const freshRoots = new Set<string>();

/** Throws when dist/ under `repoRoot` is missing or older than src/: the test would run old code. */
export function assertBuildIsFresh(repoRoot: string): void {
  if (freshRoots.has(repoRoot)) return;
  const reasons = staleBuildReasons(repoRoot);
  if (reasons.length === 0) freshRoots.add(repoRoot);
  if (reasons.length > 0) {
    throw new Error(`dist/ is older than src/, so the CLI would run old code:\n  ${reasons.join('\n  ')}\nRun \`npm run build\` (node scripts/run-tests.mjs and npm test build it first).`);
  }
}

/**
 * The environment every test's `gatehouse start` gets: ports of its own for the management API
 * and the portal, so parallel tests do not meet on the defaults, and one gateway process (the
 * default, one per core, would multiply the suite's processes). `--workers` wins over it; a test
 * of the default passes `GATEHOUSE_WORKERS: undefined`.
 */
export const testStartEnvironment: Readonly<NodeJS.ProcessEnv> = {
  GATEHOUSE_MANAGEMENT_PORT: '0',
  GATEHOUSE_MANAGEMENT_HTTPS_PORT: '0',
  GATEHOUSE_PORTAL_PORT: '0',
  GATEHOUSE_WORKERS: '1',
};

/** Spawns `gatehouse start` (or `options.command`, e.g. `gateway`) with extra args and waits until it printed its gateway URL. */
export async function startGatehouseProcess(
  args: string[],
  /** `prefix` runs the process through a launcher, e.g. `ip netns exec <ns>` (which execs node itself). */
  options: { env?: NodeJS.ProcessEnv; cwd?: string; prefix?: string[]; command?: string; readyWithinMs?: number } = {},
): Promise<GatehouseProcess> {
  assertBuildIsFresh(root);
  const data = args.includes('--data') ? [] : ['--data', mkdtempSync(join(tmpdir(), 'gatehouse-data-'))];
  const port = args.includes('--gateway-port') ? [] : ['--gateway-port', '0'];
  const command = [...(options.prefix ?? []), process.execPath, cliPath, options.command ?? 'start', ...port, ...data, ...args];
  const child = spawn(command[0]!, command.slice(1), {
    cwd: options.cwd ?? root,
    env: { ...process.env, GATEHOUSE_LOG_LEVEL: 'warn', ...testStartEnvironment, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = new Promise<{ http: string; https?: string }>((resolve, reject) => {
    let http: string | undefined;
    let https: string | undefined;
    let buffer = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      let nl;
      while ((nl = buffer.indexOf('\n')) !== -1) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        stdout.push(line);
        const m = /gateway \((https?)\): (\S+)/.exec(line);
        if (m) {
          if (m[1] === 'http') http = m[2];
          else https = m[2];
        }
        if (line.startsWith('Press Ctrl+C')) {
          if (http || https) resolve({ http: http ?? https!, https });
          else reject(new Error('gatehouse printed no gateway URL'));
        }
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk.toString('utf8')));
    void exited.then((code) => reject(new Error(`gatehouse exited with ${code} before it was ready:\n${stderr.join('')}${stdout.join('\n')}`)));
  });
  const readyWithinMs = options.readyWithinMs ?? 30_000;
  const timeout = new Promise<never>((_, reject) => {
    const t = setTimeout(() => reject(new Error(`gatehouse did not start within ${readyWithinMs / 1000} s:\n${stderr.join('')}`)), readyWithinMs);
    void exited.then(() => clearTimeout(t));
    void ready.then(() => clearTimeout(t), () => clearTimeout(t));
  });
  let urls: { http: string; https?: string };
  try {
    urls = await Promise.race([ready, timeout]);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  return {
    child,
    stdout,
    stderr,
    gatewayUrl: urls.http,
    httpsUrl: urls.https,
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      const code = await exited;
      clearTimeout(killer);
      return code;
    },
  };
}

/** Runs the CLI to completion (for usage errors and the like). */
export function runGatehouse(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  assertBuildIsFresh(root);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cliPath, ...args], {
      cwd: root,
      env: { ...process.env, ...testStartEnvironment, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    // 'close' follows 'exit' once stdout and stderr are drained, so nothing the CLI printed is missed.
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Resolves when the process's stderr (its log) matches `pattern`; rejects after `limitMs`. */
export function waitForStderr(gh: GatehouseProcess, pattern: RegExp, limitMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (!pattern.test(gh.stderr.join(''))) return;
      clearTimeout(timer);
      gh.child.stderr!.off('data', check);
      resolve();
    };
    const timer = setTimeout(() => {
      gh.child.stderr!.off('data', check);
      reject(new Error(`no ${pattern} on stderr within ${limitMs} ms:\n${gh.stderr.join('')}`));
    }, limitMs);
    gh.child.stderr!.on('data', check);
    check();
  });
}
