/**
 * The README's first lines, run for real: `npm start` serves the sample echo API with a printed
 * key; the key survives a restart with the same data folder; usage errors exit with 2.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runGatehouse, startGatehouseProcess, testStartEnvironment, type GatehouseProcess } from './helpers/gatehouse-process.js';

const running: GatehouseProcess[] = [];
after(async () => {
  await Promise.all(running.map((p) => p.stop()));
});

function printedKey(lines: string[]): string {
  const line = lines.find((l) => l.includes('sample subscription key'));
  assert.ok(line, `no key line in:\n${lines.join('\n')}`);
  return line.split(': ').pop()!.trim();
}

describe('quick start (README)', () => {
  it('serves the sample echo API with the printed key, and the printed curl command works', async () => {
    const data = mkdtempSync(join(tmpdir(), 'gatehouse-qs-'));
    const gh = await startGatehouseProcess(['--data', data]);
    running.push(gh);
    const key = printedKey(gh.stdout);
    assert.match(key, /^[0-9a-f]{32}$/);
    const tryLine = gh.stdout.find((l) => l.includes('try: curl'))!;
    const url = /"(http[^"]+)"$/.exec(tryLine)![1]!;
    assert.equal(url, `${gh.gatewayUrl}/echo/resource?x=1`);

    const res = await fetch(url, { headers: { 'Ocp-Apim-Subscription-Key': key } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('x-served-by'), 'Gatehouse');
    const echoed = (await res.json()) as { method: string; path: string; query: Record<string, string[]>; headers: Record<string, string> };
    // The sample API policy adds a request id with a policy expression.
    assert.match(echoed.headers['x-request-id'] ?? '', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.equal(echoed.method, 'GET');
    assert.equal(echoed.path, '/resource');
    assert.deepEqual(echoed.query, { x: ['1'] });

    const anonymous = await fetch(url);
    assert.equal(anonymous.status, 401);
    assert.deepEqual(await anonymous.json(), {
      statusCode: 401,
      message: 'Access denied due to missing subscription key. Make sure to include subscription key when making requests to an API.',
    });

    // The key file is private to the owner.
    assert.equal(statSync(join(data, 'sample-subscription.json')).mode & 0o777, 0o600);
    const stored = JSON.parse(readFileSync(join(data, 'sample-subscription.json'), 'utf8')) as { primaryKey: string };
    assert.equal(stored.primaryKey, key);

    // Restarting on the same data folder keeps the key.
    await gh.stop();
    const again = await startGatehouseProcess(['--data', data]);
    running.push(again);
    assert.equal(printedKey(again.stdout), key);
    const res2 = await fetch(`${again.gatewayUrl}/echo/resource`, { headers: { 'Ocp-Apim-Subscription-Key': key } });
    assert.equal(res2.status, 200);
  });

  it('`npm start` runs the same CLI', async () => {
    const data = mkdtempSync(join(tmpdir(), 'gatehouse-npm-'));
    const root = new URL('../..', import.meta.url).pathname;
    const child = spawn('npm', ['start', '--silent', '--', '--gateway-port', '0', '--data', data], {
      cwd: root,
      env: { ...process.env, GATEHOUSE_LOG_LEVEL: 'warn', ...testStartEnvironment },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    try {
      const lines = await new Promise<string[]>((resolve, reject) => {
        let text = '';
        const timer = setTimeout(() => reject(new Error(`npm start printed:\n${text}`)), 30_000);
        child.stdout.on('data', (c: Buffer) => {
          text += c.toString();
          if (text.includes('Press Ctrl+C')) {
            clearTimeout(timer);
            resolve(text.split('\n'));
          }
        });
        child.once('exit', (code) => reject(new Error(`npm start exited with ${code}:\n${text}`)));
      });
      const key = printedKey(lines);
      const url = /gateway \(http\): (\S+)/.exec(lines.join('\n'))![1]!;
      const res = await fetch(`${url}/echo/resource?x=1`, { headers: { 'Ocp-Apim-Subscription-Key': key } });
      assert.equal(res.status, 200);
    } finally {
      process.kill(-child.pid!, 'SIGTERM');
    }
  });

  it('rejects bad flags with exit code 2 and the usage text', async () => {
    const bad = await runGatehouse(['start', '--gateway-port', 'eighty']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /Invalid --gateway-port 'eighty'/);
    const unknown = await runGatehouse(['start', '--no-such-flag']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /Usage:/);
  });

  it('serves the developer portal on --portal-port and prints it', async () => {
    const gh = await startGatehouseProcess(['--management-port', '0', '--portal-port', '0', '--redis', 'redis://127.0.0.1:6379'], { env: { GATEHOUSE_LOG_LEVEL: 'info' } });
    running.push(gh);
    assert.match(gh.stdout.join('\n'), /management API \(http\): http:\/\/127\.0\.0\.1:\d+/);
    const portalUrl = /developer portal: (http:\/\/127\.0\.0\.1:\d+)/.exec(gh.stdout.join('\n'))?.[1];
    assert.ok(portalUrl, gh.stdout.join('\n'));
    const page = await fetch(portalUrl);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<title>Gatehouse developer portal<\/title>/);
  });
});
