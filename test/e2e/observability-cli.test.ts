/**
 * The access log and `/metrics` through the real CLI (`gatehouse start`, built dist/): a
 * request shows up as a JSON line on stdout beside the banner and in the scraped metrics;
 * `--access-log off` writes nothing; with `--workers 2` every worker writes its own lines (its
 * pid) and the primary's `/metrics` adds up the workers' counters.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { get } from 'node:http';
import { startGatehouseProcess, type GatehouseProcess } from './helpers/gatehouse-process.js';

const token = 'observability-e2e-admin-token-42';

function printed(gh: GatehouseProcess, pattern: RegExp): string {
  const m = pattern.exec(gh.stdout.join('\n'));
  assert.ok(m, `no line matching ${pattern} in:\n${gh.stdout.join('\n')}`);
  return m[1]!;
}

function accessLines(gh: GatehouseProcess): Array<Record<string, unknown>> {
  return gh.stdout.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
}

async function waitForLines(gh: GatehouseProcess, count: number): Promise<Array<Record<string, unknown>>> {
  const deadline = Date.now() + 10_000;
  while (accessLines(gh).length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  return accessLines(gh);
}

/** A GET on a connection of its own, so `--workers` spreads the requests over the workers. */
function getOnNewConnection(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    get(url, { headers, agent: false }, (res) => {
      res.resume();
      res.once('end', () => resolve(res.statusCode ?? 0));
    }).once('error', reject);
  });
}

async function scrape(gh: GatehouseProcess): Promise<string> {
  const res = await fetch(`${printed(gh, /management API \(http\): (\S+)/)}/metrics`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(res.status, 200);
  return res.text();
}

describe('gatehouse start: access log on stdout and /metrics', () => {
  let gh: GatehouseProcess;
  before(async () => {
    gh = await startGatehouseProcess(['--admin-token', token]);
  });
  after(() => gh?.stop());

  it('logs a request on stdout after the banner and counts it in /metrics', async () => {
    const key = printed(gh, /sample subscription key \(product 'starter'\): (\S+)/);
    const status = await getOnNewConnection(`${gh.gatewayUrl}/echo/resource?x=1&subscription-key=${key}`, {});
    assert.equal(status, 200);
    const [line] = await waitForLines(gh, 1);
    assert.ok(line, gh.stdout.join('\n'));
    assert.equal(line.path, '/echo/resource?x=1&subscription-key=***');
    assert.equal(line.status, 200);
    assert.equal(line.api, 'echo-api');
    assert.equal(line.endpoint, 'public');
    assert.equal(line.subscription, 'sample');
    assert.equal(gh.stdout.join('\n').includes(key), true, 'the banner prints the sample key');
    assert.equal(gh.stdout.filter((l) => l.startsWith('{')).some((l) => l.includes(key)), false, 'no access line carries it');
    const metrics = await scrape(gh);
    assert.match(metrics, /^gatehouse_requests_total\{api="echo-api",operation="retrieve-resource",status="200",endpoint="public"\} 1$/m);
  });
});

describe('gatehouse start --access-log off', () => {
  it('writes no access line at all', async () => {
    const gh = await startGatehouseProcess(['--admin-token', token, '--access-log', 'off']);
    try {
      const key = printed(gh, /sample subscription key \(product 'starter'\): (\S+)/);
      assert.equal(await getOnNewConnection(`${gh.gatewayUrl}/echo/resource`, { 'Ocp-Apim-Subscription-Key': key }), 200);
      assert.equal(await getOnNewConnection(`${gh.gatewayUrl}/missing`, {}), 404);
      // The metrics still count what the log does not show.
      assert.match(await scrape(gh), /^gatehouse_requests_total\{api="",operation="",status="404",endpoint="public"\} 1$/m);
    } finally {
      await gh.stop();
    }
    // Stopped: anything buffered would have been flushed by now.
    assert.deepEqual(accessLines(gh), []);
  });
});

describe('gatehouse start --workers 2', () => {
  let gh: GatehouseProcess;
  before(async () => {
    gh = await startGatehouseProcess(['--admin-token', token, '--workers', '2']);
  });
  after(() => gh?.stop());

  it("writes each worker's lines with its pid and aggregates the workers' metrics", async () => {
    const key = printed(gh, /sample subscription key \(product 'starter'\): (\S+)/);
    const workerPids = printed(gh, /\(pids ([\d, ]+)\)/).split(', ').map(Number);
    for (let i = 0; i < 6; i++) assert.equal(await getOnNewConnection(`${gh.gatewayUrl}/echo/resource`, { 'Ocp-Apim-Subscription-Key': key }), 200);
    const lines = await waitForLines(gh, 6);
    assert.equal(lines.length, 6);
    const pids = new Set(lines.map((l) => l.pid as number));
    for (const pid of pids) assert.ok(workerPids.includes(pid), `pid ${pid} is not a worker (${workerPids.join(', ')})`);
    assert.equal(pids.size, 2, 'round-robin over new connections reaches both workers');
    const metrics = await scrape(gh);
    assert.match(metrics, /^gatehouse_requests_total\{api="echo-api",operation="retrieve-resource",status="200",endpoint="public"\} 6$/m);
    // The duration histogram (our own, src/gateway/fixed-bucket-histogram.ts) summed over the workers.
    assert.match(metrics, /^gatehouse_request_duration_seconds_bucket\{le="\+Inf",api="echo-api",endpoint="public"\} 6$/m);
    assert.match(metrics, /^gatehouse_request_duration_seconds_count\{api="echo-api",endpoint="public"\} 6$/m);
    assert.match(metrics, /^gatehouse_backend_duration_seconds_count\{api="echo-api"\} 6$/m);
    assert.match(metrics, /^gatehouse_config_snapshot_version 1$/m);
    assert.match(metrics, /^process_cpu_user_seconds_total \d/m);
  });
});
