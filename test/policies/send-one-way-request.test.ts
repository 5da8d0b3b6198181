import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { expectCompileError, runPolicies } from '../helpers/policy-harness.js';
import { useHeldBackend } from '../helpers/held-backend.js';
import { unusedLoopbackUrl } from '../e2e/helpers/policy-e2e-support.js';

const doc = (inbound: string) => `<policies><inbound>${inbound}</inbound><backend /><outbound /><on-error /></policies>`;

const heldBackend = useHeldBackend();

describe('send-one-way-request', () => {
  it('answers the caller while the call is still unanswered, and the call arrives whole', async () => {
    const r = await runPolicies({
      api: doc(`<send-one-way-request mode="new" timeout="30">
          <set-url>${heldBackend.current.url}/hook</set-url>
          <set-method>POST</set-method>
          <set-header name="X-Alert" exists-action="override"><value>1</value></set-header>
          <set-body>@("status " + context.Request.Method)</set-body>
        </send-one-way-request>
        <return-response><set-status code="202" reason="Accepted" /></return-response>`),
    });
    // The held backend has not answered anything: the caller's answer did not wait for it.
    assert.equal(r.status, 202);
    await heldBackend.current.arrived(1);
    assert.equal(heldBackend.current.waiting, 1);
    const call = heldBackend.current.received[0]!;
    assert.deepEqual([call.method, call.url, call.headers['x-alert'], call.body], ['POST', '/hook', '1', 'status GET']);
  });

  it('a call that fails never fails the caller', async () => {
    const r = await runPolicies({
      api: doc(`<send-one-way-request><set-url>${await unusedLoopbackUrl()}/down</set-url><set-method>GET</set-method></send-one-way-request>
        <set-variable name="after" value="yes" /><return-response />`),
    });
    assert.equal(r.status, 200);
    assert.equal(r.gw.variables.get('after'), 'yes');
    assert.equal(r.gw.lastError, null);
  });

  it('takes mode and timeout, and no response-variable-name', () => {
    assert.match(
      expectCompileError(doc('<send-one-way-request response-variable-name="r"><set-url>http://x.test/</set-url><set-method>GET</set-method></send-one-way-request>')).reason,
      /'response-variable-name' attribute is not declared/,
    );
    assert.match(expectCompileError(doc('<send-one-way-request><set-method>GET</set-method></send-one-way-request>')).reason, /'set-url' element is required/);
  });
});
