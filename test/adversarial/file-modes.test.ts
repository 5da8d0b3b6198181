/**
 * Issue 11 finding 10: `gatehouse start` created the data folder 0755 although docs/storage.md
 * says 0700, and started with a 0644 `management-dev.key`. Run against the built CLI as a real
 * process: a new data folder is 0700 with its secret files 0600; an existing folder others may
 * enter is used with a warning; a private key file (development key, --management-certificate
 * key, --gateway-certificate key) that others may read stops the start with the file and the
 * `chmod 600` that fixes it.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliPath, startGatehouseProcess, testStartEnvironment } from '../e2e/helpers/gatehouse-process.js';

const root = mkdtempSync(join(tmpdir(), 'gatehouse-modes-'));
after(() => rmSync(root, { recursive: true, force: true }));
const modeOf = (path: string): number => statSync(path).mode & 0o777;

/**
 * Runs `gatehouse start` expecting a refusal: resolves with the exit code and stderr, or with
 * code 'started' (after stopping it) when it came up instead, so a missing check fails fast.
 */
function startExpectingRefusal(args: string[]): Promise<{ code: number | null | 'started'; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cliPath, 'start', '--gateway-port', '0', ...args], {
      env: { ...process.env, GATEHOUSE_LOG_LEVEL: 'warn', ...testStartEnvironment },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let started = false;
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString('utf8');
      if (!started && stdout.includes('Press Ctrl+C')) {
        started = true;
        child.kill('SIGTERM');
      }
    });
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.once('close', (code) => resolve({ code: started ? 'started' : code, stderr }));
  });
}

/** A self-signed certificate and its key (openssl writes the key 0600). */
function certificate(name: string): { cert: string; key: string } {
  const cert = join(root, `${name}.crt`);
  const key = join(root, `${name}.key`);
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '2', '-subj', `/CN=${name}`, '-keyout', key, '-out', cert], { stdio: 'ignore' });
  return { cert, key };
}

describe('adversarial: file modes of the data folder and the keys Gatehouse reads', { skip: process.platform === 'win32' ? 'modes say nothing on Windows' : false }, () => {
  it('creates a new data folder 0700 with its secret files 0600', async () => {
    const data = join(root, 'fresh', 'data');
    const gh = await startGatehouseProcess(['--data', data]);
    try {
      assert.equal(modeOf(data).toString(8), '700');
      for (const file of ['admin-token', 'encryption.key', 'management-dev.key', 'gatehouse.db']) {
        assert.equal(modeOf(join(data, file)).toString(8), '600', file);
      }
    } finally {
      await gh.stop();
    }
  });

  it('warns about an existing data folder others may enter, and still starts', async () => {
    const data = join(root, 'open');
    mkdirSync(data);
    chmodSync(data, 0o755);
    const gh = await startGatehouseProcess(['--data', data]);
    try {
      const warning = gh.stderr.join('');
      assert.match(warning, /data folder .*open is open to others \(mode 0755\); run chmod 700 /);
      assert.equal(modeOf(data).toString(8), '755', 'the operator decides the folder mode');
    } finally {
      await gh.stop();
    }
  });

  it('refuses to start with a management-dev.key that others may read, naming it and the fix', async () => {
    const data = join(root, 'loose-dev-key');
    const first = await startGatehouseProcess(['--data', data]);
    await first.stop();
    const key = join(data, 'management-dev.key');
    chmodSync(key, 0o644);
    const r = await startExpectingRefusal(['--data', data]);
    assert.equal(r.code, 1, r.stderr);
    assert.ok(r.stderr.includes(`${key} is readable by others (mode 0644): run chmod 600 ${key}`), r.stderr);
    assert.equal(modeOf(key).toString(8), '644', 'the key was neither used nor silently replaced');
  });

  it('refuses a --management-certificate key readable by its group', async () => {
    const { cert, key } = certificate('management.test');
    chmodSync(key, 0o640);
    const r = await startExpectingRefusal(['--data', join(root, 'mgmt-cert'), '--management-certificate', `${cert},${key}`]);
    assert.equal(r.code, 1, r.stderr);
    assert.ok(r.stderr.includes(`${key} is readable by its group (mode 0640): run chmod 600 ${key}`), r.stderr);
  });

  it('refuses a --gateway-certificate key readable by others', async () => {
    const { cert, key } = certificate('gateway.test');
    chmodSync(key, 0o604);
    const r = await startExpectingRefusal(['--data', join(root, 'gw-cert'), '--gateway-https-port', '0', '--gateway-certificate', `gateway.test=${cert},${key}`]);
    assert.equal(r.code, 1, r.stderr);
    assert.ok(r.stderr.includes(`${key} is readable by others (mode 0604): run chmod 600 ${key}`), r.stderr);
  });
});
