/**
 * Self-hosted gateway heartbeats with several instances on one PostgreSQL (issue 17 §3,
 * docs/self-hosted-gateway.md "Heartbeat"): two real `gatehouse start --store postgres://…`
 * processes on one new schema. A heartbeat POSTed to instance 1 with a token from generateToken
 * is listed by instance 2 and the other way round, so a load balancer in front of the management
 * APIs no longer makes the list depend on which instance answers; the heartbeats bump no
 * configuration version and write no audit line; deleting the gateway through one instance
 * deletes its heartbeats for both.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startGatehouseProcess, type GatehouseProcess } from './helpers/gatehouse-process.js';
import { managementClient, type ManagementAnswer } from './helpers/management-client.js';
import { dropSchemas, postgresSkipReason, testPostgresUrl, uniqueSchema, withPostgres } from '../helpers/test-postgres.js';

/** One instance: its management API (admin token of its own data folder) and its gateway protocol. */
interface Instance {
  gh: GatehouseProcess;
  call: ReturnType<typeof managementClient>;
  heartbeat(token: string, body: Record<string, string>): Promise<number>;
}

function instance(gh: GatehouseProcess): Instance {
  const url = /management API \(http\): (\S+)/.exec(gh.stdout.join('\n'))?.[1];
  assert.ok(url, `no management URL printed:\n${gh.stdout.join('\n')}`);
  return {
    gh,
    call: managementClient(gh),
    async heartbeat(token, body) {
      const res = await fetch(`${url}/gateway/heartbeat`, {
        method: 'POST',
        headers: { authorization: `GatewayKey ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      await res.arrayBuffer();
      return res.status;
    },
  };
}

async function ok(answer: Promise<ManagementAnswer>, status = 200): Promise<any> {
  const res = await answer;
  assert.equal(res.status, status, res.text);
  return res.body;
}

const skip = await postgresSkipReason('the scale-out heartbeat e2e test');

describe('self-hosted gateway heartbeats with two instances on one PostgreSQL', { skip }, () => {
  const schema = uniqueSchema('gh_beats');
  // The same encryption key: instance 2 opens the gateway keys instance 1 sealed.
  const env = { GATEHOUSE_ENCRYPTION_KEY: randomBytes(32).toString('base64') };
  let first: Instance;
  let second: Instance;
  let token: string;
  const gatehouses: GatehouseProcess[] = [];

  /** The stored configuration version and the number of audit lines, read from PostgreSQL itself. */
  const storeState = () =>
    withPostgres(async (client) => ({
      version: Number((await client.query<{ version: string }>(`SELECT version FROM "${schema}".config_version`)).rows[0]!.version),
      auditLines: Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM "${schema}".audit_log`)).rows[0]!.n),
    }));

  before(async () => {
    // One after the other: this test is about heartbeats, not about starting together.
    for (let i = 0; i < 2; i++) gatehouses.push(await startGatehouseProcess(['--store', `${testPostgresUrl}?schema=${schema}`], { env, readyWithinMs: 60_000 }));
    [first, second] = gatehouses.map(instance) as [Instance, Instance];
    await ok(first.call('PUT', 'gateways/edge', { properties: { locationData: { name: 'rack 7' } } }), 201);
    const expiry = new Date(Date.now() + 24 * 3600_000).toISOString();
    token = (await ok(first.call('POST', 'gateways/edge/generateToken', { keyType: 'primary', expiry }))).value;
  });

  after(async () => {
    for (const gh of gatehouses) await gh.stop();
    await dropSchemas([schema]);
  });

  it('lists on each instance the heartbeats either received, the latest first, without a configuration change', async () => {
    const before = await storeState();
    assert.equal(await first.heartbeat(token, { hostname: 'node-1', version: '1.0.0', instanceId: 'pod-a' }), 204);
    const fromSecond = await ok(second.call('GET', 'gateways/edge/heartbeats'));
    assert.equal(fromSecond.count, 1);
    assert.deepEqual(
      { instanceId: fromSecond.value[0].instanceId, hostname: fromSecond.value[0].hostname, version: fromSecond.value[0].version },
      { instanceId: 'pod-a', hostname: 'node-1', version: '1.0.0' },
    );
    assert.equal(fromSecond.value[0].firstHeartbeat, fromSecond.value[0].lastHeartbeat);

    assert.equal(await second.heartbeat(token, { hostname: 'node-2', version: '1.0.0', instanceId: 'pod-b' }), 204);
    assert.equal(await second.heartbeat(token, { hostname: 'node-1', version: '1.0.1', instanceId: 'pod-a' }), 204);
    const fromFirst = await ok(first.call('GET', 'gateways/edge/heartbeats'));
    assert.deepEqual(
      fromFirst.value.map((b: { instanceId: string; version: string }) => [b.instanceId, b.version]),
      [['pod-a', '1.0.1'], ['pod-b', '1.0.0']],
    );
    assert.equal(fromFirst.value[0].firstHeartbeat, fromSecond.value[0].firstHeartbeat, 'the first beat is kept, whichever instance took the next');
    assert.deepEqual(await ok(second.call('GET', 'gateways/edge/heartbeats')), fromFirst);
    assert.deepEqual(await storeState(), before, 'heartbeats bump no version and write no audit line');
  });

  it('deletes the heartbeats with the gateway, for every instance', async () => {
    await ok(second.call('DELETE', 'gateways/edge', undefined, { 'if-match': '*' }));
    assert.equal(await first.heartbeat(token, { hostname: 'node-1', version: '1.0.1', instanceId: 'pod-a' }), 401, 'the gateway is gone, and its token with it');
    await ok(first.call('PUT', 'gateways/edge', { properties: { locationData: { name: 'rack 8' } } }), 201);
    assert.deepEqual(await ok(second.call('GET', 'gateways/edge/heartbeats')), { value: [], count: 0 });
    assert.deepEqual(await ok(first.call('GET', 'gateways/edge/heartbeats')), { value: [], count: 0 });
    const rows = await withPostgres((client) => client.query(`SELECT count(*)::int AS n FROM "${schema}".gateway_heartbeats`));
    assert.equal(rows.rows[0].n, 0);
  });
});
