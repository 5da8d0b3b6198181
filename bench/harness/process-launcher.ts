/**
 * The one way the harness starts a child process (backend, proxies, gateways, load generators):
 * stdout lines are kept and can be waited for, stderr keeps a tail for error messages, and stop()
 * sends SIGTERM then SIGKILL to that process only.
 */
import { spawn, type ChildProcess } from 'node:child_process';

export interface LaunchOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Resolve once a stdout or stderr line matches; the match is returned. Omitted = resolve at spawn. */
  readyWhen?: RegExp;
  /** Milliseconds to wait for readyWhen (default 30 s). */
  readyTimeoutMs?: number;
  /** Label used in error messages. */
  name: string;
}

export interface LaunchedProcess {
  child: ChildProcess;
  /** The readyWhen match (empty when none was asked for). */
  ready: RegExpExecArray | [];
  stdoutLines: string[];
  /** Last ~64 KB of stderr. */
  stderrTail(): string;
  /** Resolves with the exit code once the process ended. */
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

/** Spawns `command args` and waits until it is ready (or fails with its stderr). */
export async function launchProcess(command: string, args: string[], options: LaunchOptions): Promise<LaunchedProcess> {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdoutLines: string[] = [];
  let stderr = '';
  let waiter: ((line: string) => void) | null = null;
  const feed = (stream: NodeJS.ReadableStream, keep: (line: string) => void): void => {
    let buffer = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      buffer += chunk;
      let nl;
      while ((nl = buffer.indexOf('\n')) !== -1) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        keep(line);
        waiter?.(line);
      }
    });
  };
  feed(child.stdout!, (line) => stdoutLines.push(line));
  feed(child.stderr!, (line) => {
    stderr = (stderr + line + '\n').slice(-65536);
  });
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : null)));
    child.once('error', () => resolve(null));
  });
  const spawnError = new Promise<never>((_, reject) => child.once('error', (err) => reject(new Error(`${options.name}: cannot start ${command}: ${err.message}`))));
  spawnError.catch(() => undefined);

  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(killer);
  };

  let ready: RegExpExecArray | [] = [];
  if (options.readyWhen) {
    const pattern = options.readyWhen;
    const timeoutMs = options.readyTimeoutMs ?? 30_000;
    try {
      ready = await new Promise<RegExpExecArray>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${options.name} was not ready within ${timeoutMs} ms`)), timeoutMs);
        waiter = (line) => {
          const m = pattern.exec(line);
          if (m) {
            clearTimeout(timer);
            resolve(m);
          }
        };
        void exited.then((code) => {
          clearTimeout(timer);
          reject(new Error(`${options.name} exited with ${code} before it was ready`));
        });
        spawnError.catch((err: Error) => {
          clearTimeout(timer);
          reject(err);
        });
      });
    } catch (err) {
      await stop();
      throw new Error(`${(err as Error).message}\n${stderr.slice(-4000)}${stdoutLines.slice(-20).join('\n')}`);
    } finally {
      waiter = null;
    }
  }
  return { child, ready, stdoutLines, stderrTail: () => stderr, exited, stop };
}

/** Runs a command to completion, collecting its output (for wrk, apt-get, npm). */
export function runToCompletion(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr = (stderr + c).slice(-65536)));
    const timer = options.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), options.timeoutMs) : null;
    child.once('error', (err) => {
      if (timer) clearTimeout(timer);
      reject(new Error(`cannot run ${command}: ${err.message}`));
    });
    child.once('close', (code) => {
      if (timer) clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The arguments that run a TypeScript file of bench/ with Node (tsx loader). */
export function nodeTsArgs(file: string, args: string[] = []): string[] {
  return ['--import', 'tsx', file, ...args];
}
