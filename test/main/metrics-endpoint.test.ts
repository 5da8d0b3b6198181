// `GET /metrics` on the management listener of an in-process `gatehouse start` (the real start
// command, store and sockets): the admin token is required, the counters move with gateway
// traffic and carry the endpoint label, `--metrics off` answers 404, ARM paths still work.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGatehouse, type StartedGatehouse } from '../../src/main/start-command.js';
import { parseStartOptions } from '../../src/main/start-options.js';

const token = 'metrics-test-admin-token-0123456789';

interface Running {
  gatehouse: StartedGatehouse;
  lines: string[];
  management: string;
  gateway: string;
  dir: string;
}

async function start(extra: string[]): Promise<Running> {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-metrics-'));
  const args = ['--data', join(dir, 'data'), '--gateway-port', '0', '--management-port', '0', '--management-https-port', '0', '--portal-port', '0', '--admin-token', token, '--access-log', join(dir, 'access.log'), ...extra];
  const lines: string[] = [];
  const gatehouse = await startGatehouse(parseStartOptions(args, {}), (l) => lines.push(l));
  const management = /management API \(http\): (\S+)/.exec(lines.join('\n'))![1]!;
  return { gatehouse, lines, management, gateway: gatehouse.gateway.listeners[0]!.url, dir };
}

async function stop(running: Running | undefined): Promise<void> {
  if (!running) return;
  await running.gatehouse.close();
  rmSync(running.dir, { recursive: true, force: true });
}

function scrape(base: string, headers: Record<string, string> = { authorization: `Bearer ${token}` }, method = 'GET'): Promise<Response> {
  return fetch(`${base}/metrics`, { method, headers });
}

describe('GET /metrics', () => {
  let on: Running;
  before(async () => {
    on = await start([]);
  });
  after(() => stop(on));

  it('requires the admin token, with ARM error bodies', async () => {
    const none = await scrape(on.management, {});
    assert.equal(none.status, 401);
    assert.match(none.headers.get('www-authenticate') ?? '', /^Bearer/);
    assert.equal(((await none.json()) as { error: { code: string } }).error.code, 'AuthenticationFailed');
    const wrong = await scrape(on.management, { authorization: 'Bearer not-the-token-at-all-0000' });
    assert.equal(wrong.status, 401);
    assert.equal(((await wrong.json()) as { error: { code: string } }).error.code, 'InvalidAuthenticationToken');
    const posted = await scrape(on.management, { authorization: `Bearer ${token}` }, 'POST');
    assert.equal(posted.status, 405);
    await posted.arrayBuffer();
  });

  it('serves Prometheus text whose counters follow gateway traffic, with the endpoint label', async () => {
    const key = /sample subscription key \(product 'starter'\): (\S+)/.exec(on.lines.join('\n'))![1]!;
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${on.gateway}/echo/resource`, { headers: { 'Ocp-Apim-Subscription-Key': key } });
      assert.equal(res.status, 200);
      await res.arrayBuffer();
    }
    const refused = await fetch(`${on.gateway}/echo/resource`);
    assert.equal(refused.status, 401);
    await refused.arrayBuffer();
    const res = await scrape(on.management);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    assert.match(text, /^gatehouse_requests_total\{api="echo-api",operation="retrieve-resource",status="200",endpoint="public"\} 3$/m);
    assert.match(text, /^gatehouse_requests_total\{api="echo-api",operation="retrieve-resource",status="401",endpoint="public"\} 1$/m);
    assert.match(text, /^gatehouse_request_duration_seconds_count\{api="echo-api",endpoint="public"\} 4$/m);
    assert.match(text, /^gatehouse_backend_duration_seconds_count\{api="echo-api"\} 3$/m);
    assert.match(text, /^gatehouse_config_snapshot_version 1$/m);
    // prom-client's process metrics, on our registry.
    assert.match(text, /^process_cpu_user_seconds_total \d/m);
    assert.equal(text.includes(key), false);
    // The access log went to its file (flushed within a quarter second), not to the scrape.
    const deadline = Date.now() + 5_000;
    let log = '';
    while (Date.now() < deadline && (log = readFileSync(join(on.dir, 'access.log'), 'utf8')).split('\n').length < 5) await new Promise((r) => setTimeout(r, 50));
    assert.equal(log.trimEnd().split('\n').length, 4, log);
  });

  it('leaves the ARM API where it was', async () => {
    const res = await fetch(`${on.management}/subscriptions/s/resourceGroups/r/providers/Microsoft.ApiManagement/service/gatehouse?api-version=2024-05-01`, {
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(res.status, 200);
    await res.arrayBuffer();
  });
});

describe('--metrics off', () => {
  let off: Running;
  before(async () => {
    off = await start(['--metrics', 'off']);
  });
  after(() => stop(off));

  it('answers 404 to a scraper holding the token, and 401 to one without', async () => {
    const res = await scrape(off.management);
    assert.equal(res.status, 404);
    assert.match(((await res.json()) as { error: { message: string } }).error.message, /--metrics off/);
    const none = await scrape(off.management, {});
    assert.equal(none.status, 401);
    await none.arrayBuffer();
  });
});
