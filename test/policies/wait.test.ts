import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { expectCompileError, runPolicies } from '../helpers/policy-harness.js';
import { startHeldBackend, type HeldBackend } from '../helpers/held-backend.js';
import { waitFor } from '../e2e/helpers/wait-for.js';

const doc = (inbound: string) => `<policies><inbound>${inbound}<return-response /></inbound><backend /><outbound /><on-error /></policies>`;
const send = (variable: string, url: string) =>
  `<send-request response-variable-name="${variable}" timeout="60"><set-url>${url}</set-url><set-method>GET</set-method></send-request>`;

const started: HeldBackend[] = [];
const backend = async (options?: { releaseAt?: number }) => {
  const b = await startHeldBackend(options);
  started.push(b);
  return b;
};
afterEach(async () => {
  for (const b of started.splice(0)) {
    b.releaseAll();
    await b.close();
  }
});

describe('wait', () => {
  it('for="all" runs its children at the same time and waits for every one', async () => {
    // The backend answers only once both calls are waiting: run one after the other, they would never finish.
    const both = await backend({ releaseAt: 2 });
    const r = await runPolicies({
      api: doc(`<wait for="all">${send('one', `${both.url}/one`)}<choose><when condition="true">${send('two', `${both.url}/two`)}</when></choose></wait>`),
    });
    assert.equal(r.status, 200);
    assert.equal((r.gw.variables.get('one') as { statusCode: number }).statusCode, 200);
    assert.equal((r.gw.variables.get('two') as { statusCode: number }).statusCode, 200);
  });

  it('for="any" completes with the first child; the other is terminated and stores nothing', async () => {
    const fast = await backend();
    fast.releaseAll();
    const never = await backend();
    const r = await runPolicies({ api: doc(`<wait for="any">${send('slow', `${never.url}/slow`)}${send('fast', `${fast.url}/fast`)}</wait>`) });
    assert.equal(r.status, 200);
    assert.equal(r.gw.variables.has('fast'), true);
    // Let the terminated call finish now: its answer must not reach the request any more.
    await never.arrived(1);
    never.releaseAll();
    await waitFor('the slow call to be answered', () => never.waiting === 0);
    // A call of our own after it: by its answer, the gateway's connection has read the earlier one.
    await (await fetch(`${never.url}/after`)).text();
    assert.equal(r.gw.variables.has('slow'), false);
  });

  it('two copies of a request whose body is still arriving both carry the whole body', async () => {
    const both = await backend({ releaseAt: 2 });
    const copy = (variable: string) => `<send-request mode="copy" response-variable-name="${variable}"><set-url>${both.url}/${variable}</set-url></send-request>`;
    const r = await runPolicies(
      { api: doc(`<wait>${copy('one')}${copy('two')}</wait>`) },
      { method: 'POST', body: Readable.from([Buffer.from('streamed '), Buffer.from('body')]) },
    );
    assert.equal(r.status, 200);
    assert.deepEqual(both.received.map((q) => q.body), ['streamed body', 'streamed body']);
  });

  it('a failing child fails the wait', async () => {
    const r = await runPolicies({
      api: doc(`<wait>${send('r', 'http://127.0.0.1:1/x')}</wait>`),
    });
    assert.equal(r.status, 500);
    assert.equal(r.gw.lastError?.source, 'send-request');
    assert.equal(r.gw.lastError?.path, 'wait[1]/send-request[1]');
  });

  it('takes send-request, cache-lookup-value and choose only', () => {
    assert.match(expectCompileError(doc('<wait><set-variable name="x" value="1" /></wait>')).reason, /'set-variable' is not allowed in 'wait'/);
    assert.match(expectCompileError(doc('<wait for="some" />')).reason, /not one of: all, any/);
    assert.match(expectCompileError(`<policies><inbound /><backend /><outbound /><on-error><wait /></on-error></policies>`).reason, /not allowed in the 'on-error' section/);
  });
});
