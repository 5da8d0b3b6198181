/**
 * Stopping `start` with a signal sent the moment the banner appears: the handlers are in place
 * before the banner is printed, so the process stops cleanly (exit 0, the goodbye line) instead
 * of dying by the signal's default action. A signal during start-up, before the banner, ends the
 * start at once with a word on stderr.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertBuildIsFresh, cliPath, testStartEnvironment } from '../e2e/helpers/gatehouse-process.js';

interface Ended {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Starts `gatehouse start` and sends `signal` when `when` first matches its output. */
function startAndSignal(signal: NodeJS.Signals, when: (stdout: string, stderr: string) => boolean): Promise<Ended> {
  assertBuildIsFresh(new URL('../..', import.meta.url).pathname);
  const data = mkdtempSync(join(tmpdir(), 'gatehouse-signal-'));
  const child = spawn(process.execPath, [cliPath, 'start', '--data', data, '--gateway-port', '0', '--management-port', '0', '--management-https-port', '0', '--portal-port', '0'], {
    env: { ...process.env, GATEHOUSE_LOG_LEVEL: 'warn', ...testStartEnvironment },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let sent = false;
  const check = () => {
    if (!sent && when(stdout, stderr)) {
      sent = true;
      child.kill(signal);
    }
  };
  child.stdout.on('data', (c: Buffer) => {
    stdout += c.toString();
    check();
  });
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString();
    check();
  });
  check();
  return new Promise((resolve) =>
    child.once('close', (code, sig) => {
      rmSync(data, { recursive: true, force: true });
      resolve({ code, signal: sig, stdout, stderr });
    }),
  );
}

describe('stopping start with a signal', () => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`${signal} at the first banner line stops cleanly, every time`, async () => {
      for (let i = 0; i < 4; i++) {
        const ended = await startAndSignal(signal, (out) => out.includes('Gatehouse is running'));
        assert.equal(ended.signal, null, `killed by ${ended.signal}:\n${ended.stdout}${ended.stderr}`);
        assert.equal(ended.code, 0, ended.stdout + ended.stderr);
        assert.match(ended.stdout, new RegExp(`Gatehouse stopped \\((${signal === 'SIGINT' ? 'Ctrl\\+C' : 'SIGTERM'})\\)\\.`));
      }
    });
  }

  it('Ctrl+C before the banner ends the start-up at once, saying so', async () => {
    const ended = await startAndSignal('SIGINT', () => true);
    assert.equal(ended.signal === 'SIGINT' || ended.code === 130, true, `ended with ${ended.code} ${ended.signal}`);
    assert.doesNotMatch(ended.stdout, /Gatehouse is running/);
  });
});
