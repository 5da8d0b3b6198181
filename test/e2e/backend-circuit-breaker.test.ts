/**
 * Backend circuit breakers and pool failover in a real `gatehouse start --config --watch`
 * process on real sockets: a pool's first priority group answers 500s, its breaker trips, calls
 * go to the second group (and a call to the tripped backend itself gets the 503), and after
 * tripDuration (PT2S) the first group serves again. A reload of the folder keeps a tripped
 * breaker whose rule did not change, and a changed rule starts afresh.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { apiInformation, openApi, writeApiopsFolder } from './helpers/apiops-writer.js';
import { startGatehouseProcess, type GatehouseProcess } from './helpers/gatehouse-process.js';
import { waitFor } from './helpers/wait-for.js';
import { startCountingBackend, type CountingBackend } from '../helpers/counting-backend.js';

const breaker = (count: number) => ({
  rules: [
    {
      name: 'trip-on-5xx',
      failureCondition: { count, interval: 'PT1M', statusCodeRanges: [{ min: 500, max: 599 }] },
      tripDuration: 'PT2S',
      acceptRetryAfter: true,
    },
  ],
});

const policy = (backendId: string, mark: string) =>
  `<policies><inbound><base /><set-backend-service backend-id="${backendId}" /></inbound><backend><base /></backend><outbound><base /><set-header name="X-Mark" exists-action="override"><value>${mark}</value></set-header></outbound><on-error><base /></on-error></policies>`;

let primary: CountingBackend;
let standby: CountingBackend;
let dir: string;
let gh: GatehouseProcess;

before(async () => {
  primary = await startCountingBackend('primary');
  standby = await startCountingBackend('standby');
  dir = writeApiopsFolder({
    'backends/primary/backendInformation.json': { properties: { url: primary.url, protocol: 'http', circuitBreaker: breaker(2) } },
    'backends/standby/backendInformation.json': { properties: { url: standby.url, protocol: 'http' } },
    'backends/pool/backendInformation.json': {
      properties: { type: 'Pool', pool: { services: [{ id: '/backends/primary', priority: 1 }, { id: '/backends/standby', priority: 2 }] } },
    },
    'apis/pooled/apiInformation.json': apiInformation({ displayName: 'Pooled', path: 'pooled', subscriptionRequired: false }),
    'apis/pooled/specification.json': openApi([{ method: 'GET', path: '/x', operationId: 'x' }]),
    'apis/pooled/policy.xml': policy('pool', 'one'),
    'apis/single/apiInformation.json': apiInformation({ displayName: 'Single', path: 'single', subscriptionRequired: false }),
    'apis/single/specification.json': openApi([{ method: 'GET', path: '/x', operationId: 'x' }]),
    'apis/single/policy.xml': policy('primary', 'one'),
  });
  gh = await startGatehouseProcess(['--config', dir, '--watch']);
});
after(async () => {
  await gh?.stop();
  await primary?.close();
  await standby?.close();
});

/** One call through the pool: status, body (which backend answered) and the policy mark. */
async function call(api = 'pooled'): Promise<{ status: number; body: string; mark: string | null }> {
  const res = await fetch(`${gh.gatewayUrl}/${api}/x`);
  return { status: res.status, body: await res.text(), mark: res.headers.get('x-mark') };
}

describe('backend circuit breaker (gatehouse process)', () => {
  it('trips on 500s, fails the pool over to the next priority group, and serves from the first again after tripDuration', async () => {
    primary.status = 500;
    assert.deepEqual(await call(), { status: 500, body: 'primary', mark: 'one' });
    assert.deepEqual(await call(), { status: 500, body: 'primary', mark: 'one' });

    // Open: the pool's second group serves, and the tripped backend itself is answered with 503.
    assert.deepEqual(await call(), { status: 200, body: 'standby', mark: 'one' });
    const single = await fetch(`${gh.gatewayUrl}/single/x`);
    assert.equal(single.status, 503);
    const body = (await single.json()) as Record<string, unknown>;
    assert.deepEqual({ statusCode: body.statusCode, message: body.message }, { statusCode: 503, message: 'Service Unavailable' });
    assert.equal(typeof body.activityId, 'string');
    assert.equal(primary.calls, 2);

    primary.status = 200;
    let last = { status: 0, body: '', mark: null as string | null };
    await waitFor('the first priority group to serve again', async () => {
      last = await call();
      return last.body === 'primary';
    }, gh);
    assert.equal(last.status, 200);
    // Nothing reached the primary while its breaker was open: only the call that found it closed.
    assert.equal(primary.calls, 3);
  });

  it('keeps a tripped breaker across a reload that leaves its rule alone; a changed rule starts afresh', async () => {
    // A Retry-After of an hour keeps it open for as long as this test takes.
    primary.status = 503;
    primary.headers = { 'retry-after': '3600' };
    await call();
    await call();
    const hits = primary.calls;
    assert.equal((await call()).body, 'standby');

    writeFileSync(join(dir, 'apis/pooled/policy.xml'), policy('pool', 'two'));
    await waitFor('the reloaded policy', async () => {
      const r = await call();
      assert.equal(r.body, 'standby', 'the breaker stays open through the reload');
      return r.mark === 'two';
    }, gh);
    assert.equal(primary.calls, hits);

    writeFileSync(
      join(dir, 'backends/primary/backendInformation.json'),
      JSON.stringify({ properties: { url: primary.url, protocol: 'http', circuitBreaker: breaker(3) } }),
    );
    primary.status = 200;
    await waitFor('the changed rule to start with a closed breaker', async () => (await call()).body === 'primary', gh);
  });
});
