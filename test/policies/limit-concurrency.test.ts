import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { expectCompileError, sharedCounterGateway } from '../helpers/policy-harness.js';
import { startHeldBackend, type HeldBackend } from '../helpers/held-backend.js';

const limited = (key: string, max: number) =>
  `<policies><inbound /><backend><limit-concurrency key="${key}" max-count="${max}"><forward-request /></limit-concurrency></backend><outbound /><on-error /></policies>`;

let held: HeldBackend | undefined;
afterEach(async () => {
  held?.releaseAll();
  await held?.close();
});

describe('limit-concurrency', () => {
  it('admits max-count requests at a time; the next fails at once with 429', async () => {
    held = await startHeldBackend();
    const gateway = sharedCounterGateway({ api: limited('@(context.Request.Headers.GetValueOrDefault("X-Tenant", ""))', 2), serviceUrl: held.url });
    const first = gateway.call({}, { headers: { 'x-tenant': 'a' } });
    const second = gateway.call({}, { headers: { 'x-tenant': 'a' } });
    await held.arrived(2);
    // Both are inside: a third of the same key is refused while they are, another key is not.
    const third = await gateway.call({}, { headers: { 'x-tenant': 'a' } });
    assert.equal(third.status, 429);
    assert.equal(third.gw.lastError?.source, 'limit-concurrency');
    assert.equal(third.json<{ statusCode: number }>().statusCode, 429);
    const other = gateway.call({}, { headers: { 'x-tenant': 'b' } });
    await held.arrived(3);
    assert.equal(held.received.length, 3, 'the refused request never reached the backend');
    held.releaseAll();
    assert.deepEqual([(await first).status, (await second).status, (await other).status], [200, 200, 200]);
    // Once they are out, the key admits again.
    assert.equal((await gateway.call({}, { headers: { 'x-tenant': 'a' } })).status, 200);
  });

  it('releases its place when the body fails', async () => {
    const gateway = sharedCounterGateway({ api: limited('k', 1), serviceUrl: 'http://127.0.0.1:1' });
    assert.equal((await gateway.call()).gw.lastError?.reason, 'BackendConnectionFailure');
    assert.equal((await gateway.call()).gw.lastError?.reason, 'BackendConnectionFailure');
  });

  it('checks its attributes', () => {
    assert.match(expectCompileError(limited('k', 0)).reason, /at least 1/);
    assert.match(expectCompileError(limited('k', '@(2)' as unknown as number)).reason, /does not accept policy expressions/);
    assert.match(expectCompileError('<policies><inbound><limit-concurrency max-count="1" /></inbound></policies>').reason, /required attribute 'key'/);
  });
});
