/**
 * Counters shared by several gateways through Redis (issue 17, "Done means" 1), all real: a
 * redis-server of the test's own (stopped and started again), one PostgreSQL store, and three
 * `gatehouse start --store postgres://… --redis redis://…` processes. One instance's management
 * API configures a rate limit of 100 calls a minute and a quota; 50 concurrent connections spread
 * over the three gateways get exactly 100 calls through; the quota count survives a restart of
 * every gateway; with Redis stopped the gateways keep serving and say so in their log and
 * metrics; with Redis back the counting is shared again.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startEchoBackend, type EchoBackend } from '../../src/main/sample/echo-backend.js';
import { PrivateRedis, privateRedisSkipReason } from '../helpers/private-redis.js';
import { pgUrl, postgresSkip } from '../management/apiops-sync/postgres-target.js';
import { startGatehouseProcess, type GatehouseProcess } from './helpers/gatehouse-process.js';
import { managementClient } from './helpers/management-client.js';
import { waitFor } from './helpers/wait-for.js';

const redisSkip = privateRedisSkipReason('the scale-out counters test');
const pgSkip = await postgresSkip();
if (pgSkip) console.log(`# skipping the scale-out counters test: ${pgSkip}`);
const skip = redisSkip ?? pgSkip;

const schema = `gh_scale_${process.pid}_${randomBytes(3).toString('hex')}`;
// Three instances of one service share the store, so they must share the key its secrets are sealed with.
const env = { GATEHOUSE_ENCRYPTION_KEY: randomBytes(32).toString('base64'), GATEHOUSE_LOG_LEVEL: 'info', GATEHOUSE_STORE: '', GATEHOUSE_REDIS_COUNTER_FALLBACK: '' };
const instances = 3;

const rateLimitCalls = 100;
const quotaCalls = 110;
const limitedPolicy = `<policies><inbound><base /><rate-limit calls="${rateLimitCalls}" renewal-period="60" /><quota-by-key calls="${quotaCalls}" renewal-period="3600" counter-key="shared" /></inbound><backend><base /></backend><outbound><base /></outbound><on-error><base /></on-error></policies>`;
// Calls that touch the counters and count against nothing the test checks: they let a gateway find Redis back.
const pingPolicy = `<policies><inbound><base /><rate-limit-by-key calls="1000000" renewal-period="60" counter-key="ping" /></inbound><backend><base /></backend><outbound><base /></outbound><on-error><base /></on-error></policies>`;
const subscriptions = ['burst', 'after-restart', 'redis-down', 'redis-back'];
const keyOf = (name: string) => `scale-out-key-${name}-${'k'.repeat(24)}`;

interface Outcome {
  status: number;
  body: string;
}

/** `total` GETs with `key`, over `connections` concurrent loops, loop i on gateway i mod the count. */
async function flood(gateways: readonly string[], key: string, total: number, connections: number): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  let next = 0;
  const loop = async (index: number) => {
    const gateway = gateways[index % gateways.length]!;
    while (next < total) {
      next++;
      const res = await fetch(`${gateway}/limited/call`, { headers: { 'Ocp-Apim-Subscription-Key': key } });
      outcomes.push({ status: res.status, body: await res.text() });
    }
  };
  await Promise.all(Array.from({ length: connections }, (_, i) => loop(i)));
  return outcomes;
}

const statuses = (outcomes: readonly Outcome[]) => outcomes.reduce<Record<number, number>>((counts, o) => ({ ...counts, [o.status]: (counts[o.status] ?? 0) + 1 }), {});

/** The instance's `/metrics` text (management port, admin token). */
async function metrics(gh: GatehouseProcess): Promise<string> {
  const out = gh.stdout.join('\n');
  const url = /management API \(http\): (\S+)/.exec(out)![1]!;
  const token = readFileSync(/admin token file: (\S+)/.exec(out)![1]!, 'utf8').trim();
  const res = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(res.status, 200);
  return res.text();
}

const metricValue = (text: string, series: string): number | undefined => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

describe('counters in Redis shared by three gateways on one PostgreSQL store', { skip }, () => {
  let redis: PrivateRedis;
  let backend: EchoBackend;
  const data = Array.from({ length: instances }, () => mkdtempSync(join(tmpdir(), 'gatehouse-scale-')));
  let gateways: GatehouseProcess[] = [];
  const urls = () => gateways.map((gh) => gh.gatewayUrl);
  const start = (i: number) => startGatehouseProcess(['--data', data[i]!, '--store', `${pgUrl}?schema=${schema}`, '--redis', redis.url], { env });

  before(async () => {
    redis = await PrivateRedis.start();
    backend = await startEchoBackend();
  });
  after(async () => {
    for (const gh of gateways) await gh.stop();
    await backend?.close();
    await redis?.stop();
    const client = new pg.Client({ connectionString: pgUrl });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.end();
  });

  /** Starts the instances one after the other (the first creates the store) and waits until each serves the test's APIs. */
  async function startAll(): Promise<void> {
    gateways = [];
    for (let i = 0; i < instances; i++) gateways.push(await start(i));
  }
  async function untilServed(): Promise<void> {
    for (const gh of gateways) {
      // Without a key: 401 once the API is served (404 before), and nothing is counted.
      await waitFor('the gateway to serve the limited API', async () => (await fetch(`${gh.gatewayUrl}/limited/call`)).status === 401, gh, 30_000);
    }
  }

  it('admits exactly the shared limit, keeps the quota across restarts, serves while Redis is down and shares again once it is back', async () => {
    await startAll();
    for (const gh of gateways) assert.match(gh.stdout.join('\n'), new RegExp(`rate-limit and quota counters: in Redis at 127\\.0\\.0\\.1:${redis.port}, shared`));
    const call = managementClient(gateways[0]!);
    const put = async (path: string, body: unknown) => {
      const answer = await call('PUT', path, body);
      assert.ok(answer.status === 200 || answer.status === 201, `${path}: ${answer.status} ${answer.text}`);
    };
    await put('apis/limited', { properties: { displayName: 'Limited', path: 'limited', serviceUrl: backend.url, protocols: ['http'], subscriptionRequired: true } });
    await put('apis/limited/operations/any', { properties: { displayName: 'Any', method: 'GET', urlTemplate: '/*' } });
    await put('apis/limited/policies/policy', { properties: { format: 'rawxml', value: limitedPolicy } });
    await put('apis/ping', { properties: { displayName: 'Ping', path: 'ping', serviceUrl: backend.url, protocols: ['http'], subscriptionRequired: false } });
    await put('apis/ping/operations/any', { properties: { displayName: 'Any', method: 'GET', urlTemplate: '/*' } });
    await put('apis/ping/policies/policy', { properties: { format: 'rawxml', value: pingPolicy } });
    for (const name of subscriptions) {
      await put(`subscriptions/${name}`, { properties: { displayName: name, scope: '/apis/limited', state: 'active', primaryKey: keyOf(name), secondaryKey: `${keyOf(name)}-2` } });
    }
    await untilServed();

    // 300 calls over 50 connections spread across the three gateways: the limit of 100 holds across them.
    const burst = await flood(urls(), keyOf('burst'), 300, 50);
    const admitted = burst.filter((o) => o.status === 200).length;
    assert.ok(admitted >= rateLimitCalls && admitted <= rateLimitCalls + 1, `admitted ${admitted}: ${JSON.stringify(statuses(burst))}`);
    const refused = burst.filter((o) => o.status !== 200);
    assert.equal(refused.length, 300 - admitted);
    for (const o of refused) {
      assert.equal(o.status, 429);
      assert.match(o.body, /^\{"statusCode":429,"message":"Rate limit is exceeded\. Try again in \d+ seconds\."\}$/);
    }

    // Every gateway restarts: the quota's count (one per admitted call) is still in Redis.
    for (const gh of gateways) await gh.stop();
    await startAll();
    await untilServed();
    const afterRestart = await flood(urls(), keyOf('after-restart'), 30, 3);
    assert.equal(afterRestart.filter((o) => o.status === 200).length, quotaCalls - admitted, JSON.stringify(statuses(afterRestart)));
    for (const o of afterRestart.filter((r) => r.status !== 200)) {
      assert.equal(o.status, 403);
      assert.match(o.body, /Out of call volume quota\. Quota will be replenished in/);
    }

    // Redis stops: every gateway keeps serving (on its own counters), and says so.
    await redis.stop();
    const whileDown = await flood(urls(), keyOf('redis-down'), 9, 3);
    assert.deepEqual(statuses(whileDown), { 200: 9 });
    for (const gh of gateways) {
      await waitFor('the warning that Redis does not answer', () => /the shared counters \(Redis\) do not answer; counting on this host's counters/.test(gh.stderr.join('')), gh);
      const text = await metrics(gh);
      assert.equal(metricValue(text, 'gatehouse_counter_store_redis_up'), 0, text);
      assert.equal(metricValue(text, 'gatehouse_counter_store_fallbacks_total{fallback="local"}'), 1, text);
    }

    // Redis is back (empty, no persistence): each gateway finds it on its next counter call.
    await redis.startAgain();
    for (const gh of gateways) {
      await waitFor('the gateway to count in Redis again', async () => {
        await (await fetch(`${gh.gatewayUrl}/ping/x`)).arrayBuffer();
        return metricValue(await metrics(gh), 'gatehouse_counter_store_redis_up') === 1;
      }, gh, 30_000);
      assert.match(gh.stderr.join(''), /the shared counters \(Redis\) answer again/);
    }
    // 150 calls, 50 on each gateway: counted apart each would admit all 150; counted together, 100.
    const back = await flood(urls(), keyOf('redis-back'), 150, 30);
    const admittedBack = back.filter((o) => o.status === 200).length;
    assert.ok(admittedBack >= rateLimitCalls && admittedBack <= rateLimitCalls + 1, `admitted ${admittedBack}: ${JSON.stringify(statuses(back))}`);
  });
});
