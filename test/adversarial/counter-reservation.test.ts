/**
 * Issue 11 finding 5: counting deferred by `increment-condition` must not over-admit. A real
 * gateway process in front of a real loopback backend that answers after 200 ms: callers keep
 * calling until they are refused, and however many there are at once, exactly the limit gets
 * through (calls in flight hold a reservation). Calls whose condition turns out false give their
 * reservation back. One scenario runs again under `--workers 2`, where the counters live in the
 * primary process and the workers reach them over IPC.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startEchoBackend, type EchoBackend } from '../../src/main/sample/echo-backend.js';
import { apiInformation, openApi, writeApiopsFolder } from '../e2e/helpers/apiops-writer.js';
import { startGatehouseProcess, type GatehouseProcess } from '../e2e/helpers/gatehouse-process.js';
import { policies } from '../e2e/helpers/policy-e2e-support.js';

const QUOTA = 10;
const RATE = 20;
const groupKey = `counter-key='@(context.Request.Headers.GetValueOrDefault("x-group", ""))'`;
const countsWhenOk = `increment-condition="@(context.Response.StatusCode == 200)"`;

let backend: EchoBackend;
let configDir: string;
let single: GatehouseProcess | undefined;

before(async () => {
  backend = await startEchoBackend();
  configDir = writeApiopsFolder({
    'apis/c/apiInformation.json': apiInformation({ displayName: 'Counters', path: 'c', serviceUrl: `${backend.url}/svc`, subscriptionRequired: false }),
    'apis/c/specification.json': openApi([
      { method: 'GET', path: '/quota/{kind}/{value}', operationId: 'quota' },
      { method: 'GET', path: '/rate/{kind}/{value}', operationId: 'rate' },
    ]),
    'apis/c/operations/quota/policy.xml': policies({
      // One period that never ends: a 300 s period is aligned to the clock, and a test crossing a
      // boundary would rightly admit a second period's calls.
      inbound: `<base /><quota-by-key calls="${QUOTA}" renewal-period="0" ${groupKey} ${countsWhenOk} />`,
    }),
    'apis/c/operations/rate/policy.xml': policies({
      inbound: `<base /><rate-limit-by-key calls="${RATE}" renewal-period="60" ${groupKey} ${countsWhenOk} />`,
    }),
  });
  single = await startGatehouseProcess(['--config', configDir, '--access-log', 'off']);
});

after(async () => {
  await single?.stop();
  await backend?.close();
});

/** One call; the status, with the body read so the connection is free again. */
async function call(gateway: GatehouseProcess | undefined, path: string, group: string): Promise<number> {
  if (!gateway) throw new Error('the gateway did not start');
  const response = await fetch(`${gateway.gatewayUrl}/c/${path}`, { headers: { 'x-group': group } });
  await response.arrayBuffer();
  return response.status;
}

/**
 * `callers` callers at once, each calling `path` again and again until it is refused;
 * returns how many calls were admitted (200) and the refusal statuses seen.
 */
async function callUntilRefused(gateway: GatehouseProcess | undefined, path: string, group: string, callers: number): Promise<{ admitted: number; refusals: Set<number> }> {
  let admitted = 0;
  const refusals = new Set<number>();
  await Promise.all(
    Array.from({ length: callers }, async () => {
      for (;;) {
        const status = await call(gateway, path, group);
        if (status !== 200) return void refusals.add(status);
        admitted++;
      }
    }),
  );
  return { admitted, refusals };
}

describe('counters deferred by increment-condition reserve calls in flight (200 ms backend)', () => {
  for (const callers of [5, 50, 150]) {
    it(`quota-by-key calls=${QUOTA}: exactly ${QUOTA} admitted from ${callers} concurrent callers`, async () => {
      const outcome = await callUntilRefused(single, 'quota/delay/200', `quota-${callers}`, callers);
      assert.equal(outcome.admitted, QUOTA);
      assert.deepEqual([...outcome.refusals], [403]);
    });
  }

  it(`rate-limit-by-key calls=${RATE}: exactly ${RATE} admitted from 50 concurrent callers`, async () => {
    const outcome = await callUntilRefused(single, 'rate/delay/200', 'rate-50', 50);
    assert.equal(outcome.admitted, RATE);
    assert.deepEqual([...outcome.refusals], [429]);
  });

  it('gives back the reservations of calls whose condition is false: they do not count', async () => {
    for (const [path, group] of [['quota', 'released-quota'], ['rate', 'released-rate']] as const) {
      const failing = await Promise.all(Array.from({ length: QUOTA }, () => call(single, `${path}/status/500`, group)));
      assert.deepEqual(new Set(failing), new Set([500]), `${path}: every failing call was admitted and answered by the backend`);
      const limit = path === 'quota' ? QUOTA : RATE;
      const outcome = await callUntilRefused(single, `${path}/delay/200`, group, 5);
      assert.equal(outcome.admitted, limit, `${path}: the failed calls left the whole limit`);
    }
  });
});

describe('the same under --workers 2 (counters in the primary process, reached over IPC)', () => {
  let workers: GatehouseProcess | undefined;
  before(async () => {
    workers = await startGatehouseProcess(['--config', configDir, '--access-log', 'off', '--workers', '2']);
  });
  after(async () => {
    await workers?.stop();
  });

  it(`quota-by-key calls=${QUOTA} and rate-limit-by-key calls=${RATE}: exactly the limit from 50 concurrent callers`, async () => {
    const quota = await callUntilRefused(workers, 'quota/delay/200', 'workers-quota', 50);
    assert.equal(quota.admitted, QUOTA);
    const rate = await callUntilRefused(workers, 'rate/delay/200', 'workers-rate', 50);
    assert.equal(rate.admitted, RATE);
  });
});
