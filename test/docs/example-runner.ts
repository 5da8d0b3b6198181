/**
 * Runs one documentation example as a reader would: shell blocks with bash (`-e -o pipefail`,
 * so any failing command fails the block), JavaScript blocks with node, TypeScript blocks with
 * node and tsx, all in the sandbox folder with the sandbox's environment. `curl` on the PATH is
 * a wrapper that reports each call's status, so a block passes only when every curl got a 2xx,
 * or the status written in a `# NNN` comment at the end of its command. A block that starts
 * Gatehouse is stopped as a reader would stop it: Ctrl+C (SIGINT to its process group) each
 * time it prints `Press Ctrl+C to stop.`; it must then exit 0.
 *
 * `start` installs its SIGINT handler only after the banner is printed, so a signal sent the
 * moment the banner appears may find the default action and kill it (seen about once in six
 * starts on a busy machine). Before Ctrl+C the runner asks the printed management URL for any
 * answer: the process has then run its event loop, after the microtask that installs the handler.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MarkdownExample } from './markdown-examples.js';

/** The line the curl wrapper writes to stderr after each call. */
export const curlStatusPrefix = 'docs-example-curl-status';

export interface ExampleResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** stdout and stderr, interleaved as they arrived. */
  output: string;
  /** Each curl call's HTTP status, in order (0 when no answer came). */
  curlStatuses: number[];
  /** How many times the block said Gatehouse was running (and got Ctrl+C). */
  interrupts: number;
  timedOut: boolean;
}

/** The curl wrapper script: the real curl, quiet, with the status written to stderr after each call. */
export function curlWrapper(realCurl: string): string {
  return `#!/bin/sh\nexec '${realCurl}' --silent --show-error --write-out '%{stderr}${curlStatusPrefix} %{http_code}\\n' "$@"\n`;
}

/** What each curl command of a shell block must answer: its `# NNN` comment, else any 2xx. */
export function expectedCurlStatuses(code: string): Array<number | '2xx'> {
  const logical = code.replace(/\\\n/g, ' ').split('\n');
  const expected: Array<number | '2xx'> = [];
  for (const line of logical) {
    if (!/^\s*(?:[A-Za-z_][A-Za-z0-9_]*=\S*\s+)*curl\s/.test(line)) continue;
    const comment = /\s#\s*(\d{3})\b[^'"]*$/.exec(line);
    expected.push(comment ? Number(comment[1]) : '2xx');
  }
  return expected;
}

/** Resolves once `url` answered anything, or could not be reached. */
async function answered(url: string): Promise<void> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(30_000) });
    await res.arrayBuffer();
  } catch {
    // No answer: Ctrl+C is sent all the same, and the exit status tells.
  }
}

/** Runs the example in `cwd` with `env`; kills it after `timeoutMs`. */
export function runExample(example: MarkdownExample, options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number }): Promise<ExampleResult> {
  const base = `example-${example.file.replace(/[^A-Za-z0-9]+/g, '-')}-${example.line}`;
  let command: string[];
  if (example.language === 'sh') {
    const script = join(options.cwd, `${base}.sh`);
    writeFileSync(script, example.code);
    command = ['bash', '--noprofile', '--norc', '-e', '-o', 'pipefail', script];
  } else {
    const script = join(options.cwd, `${base}.${example.language === 'js' ? 'mjs' : 'ts'}`);
    writeFileSync(script, example.code);
    command = example.language === 'js' ? [process.execPath, script] : [process.execPath, '--import', 'tsx', script];
  }
  return new Promise((resolve) => {
    // Its own process group, so Ctrl+C reaches the shell and what it started, as in a terminal.
    const child = spawn(command[0]!, command.slice(1), { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    // The wrapper's lines are read from stderr alone: a body without a final newline comes before them on stdout.
    let errors = '';
    let interrupts = 0;
    let timedOut = false;
    const signalGroup = (signal: NodeJS.Signals): void => {
      try {
        process.kill(-child.pid!, signal);
      } catch {
        // The group is gone already.
      }
    };
    let stdout = '';
    let interrupting = Promise.resolve();
    const onText = (chunk: Buffer): void => {
      const text = chunk.toString('utf8');
      output += text;
      stdout += text;
      let end;
      while ((end = stdout.indexOf('Press Ctrl+C to stop.')) !== -1) {
        const banner = stdout.slice(0, end);
        stdout = stdout.slice(end + 'Press Ctrl+C to stop.'.length);
        const management = [...banner.matchAll(/management API \(http\): (\S+)/g)].at(-1)?.[1];
        interrupting = interrupting.then(async () => {
          if (management) await answered(management);
          interrupts++;
          signalGroup('SIGINT');
        });
      }
    };
    child.stdout!.on('data', onText);
    child.stderr!.on('data', (chunk: Buffer) => {
      errors += chunk.toString('utf8');
      output += chunk.toString('utf8');
    });
    const timer = setTimeout(() => {
      timedOut = true;
      signalGroup('SIGKILL');
    }, options.timeoutMs);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      // Whatever the block left running (a server it started in the background) goes too.
      signalGroup('SIGKILL');
      const curlStatuses = [...errors.matchAll(new RegExp(`^${curlStatusPrefix} (\\d{3})$`, 'gm'))].map((m) => Number(m[1]));
      resolve({ code, signal, output, curlStatuses, interrupts, timedOut });
    });
  });
}
