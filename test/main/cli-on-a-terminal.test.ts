/**
 * What a person running `gatehouse start` at a terminal sees, through a real pseudo-terminal
 * (util-linux `script`): readable log lines (no JSON) above the banner, and a one-line goodbye
 * when Ctrl+C stops it.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliPath, testStartEnvironment } from '../e2e/helpers/gatehouse-process.js';

const scriptMissing = spawnSync('script', ['--version']).error ? 'util-linux `script` (a pseudo-terminal) is not installed' : undefined;
if (scriptMissing && process.env.CI === 'true') throw new Error(scriptMissing);

const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

describe('gatehouse start on a terminal', { skip: scriptMissing }, () => {
  it('logs readable lines above the banner and says goodbye on Ctrl+C', async () => {
    const data = mkdtempSync(join(tmpdir(), 'gatehouse-tty-'));
    const gatehouse = [process.execPath, cliPath, 'start', '--data', data, '--gateway-port', '0'].map(quote).join(' ');
    // The shell keeps the terminal open a moment after gatehouse ends: Linux hands what a process
    // wrote to a pseudo-terminal over to the reading side asynchronously, and `script` stops
    // reading soon after its child ends, so on a loaded machine the last line could be lost.
    // The no-op trap keeps Ctrl+C from ending the shell (POSIX runs it once gatehouse is done);
    // gatehouse itself gets the default action back, and its own handler.
    const command = `trap : INT; ${gatehouse}; code=$?; sleep 1; exit $code`;
    const child = spawn('script', ['-qec', command, '/dev/null'], {
      env: { ...process.env, GATEHOUSE_LOG_LEVEL: 'info', ...testStartEnvironment },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let output = '';
    const closed = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
    const killer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString('utf8');
          if (output.includes('Press Ctrl+C to stop.')) resolve();
        });
        void closed.then((code) => reject(new Error(`gatehouse ended with ${code} before its banner:\n${output}`)));
      });
      const lines = output.split(/\r?\n/);
      const above = lines.slice(0, lines.findIndex((line) => line.startsWith('Gatehouse is running')));
      assert.ok(above.length > 0, `no log line above the banner:\n${output}`);
      for (const line of above) assert.match(line, /^\d\d:\d\d:\d\d (info|warn) {1,2}\S/, `not a readable log line: ${line}`);
      // The terminal's Ctrl+C: the pseudo-terminal turns it into SIGINT for the foreground process.
      child.stdin.write('\x03');
      const code = await closed;
      assert.equal(code, 0, `gatehouse ended with ${code} after Ctrl+C:\n${output}`);
      const after = output.slice(output.indexOf('Press Ctrl+C to stop.')).split(/\r?\n/);
      assert.ok(after.includes('Gatehouse stopped (Ctrl+C).'), `no goodbye line:\n${output}`);
    } finally {
      // On a failure, Ctrl+C ends gatehouse (the pseudo-terminal's hangup alone would only reload it).
      if (child.exitCode === null) {
        child.stdin.write('\x03');
        await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 10_000).unref())]);
      }
      clearTimeout(killer);
      child.kill('SIGKILL');
    }
  });
});
