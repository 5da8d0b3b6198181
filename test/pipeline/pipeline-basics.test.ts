import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PolicyCompileError } from '../../src/pipeline/policy-module.js';
import { startCountingBackend } from '../helpers/counting-backend.js';
import { compileOnly, runPolicies, useEchoBackend } from '../helpers/policy-harness.js';

const backend = useEchoBackend();

describe('pipeline basics', () => {
  it('forwards by default when no policy is configured', async () => {
    const r = await runPolicies({ serviceUrl: backend.url + '/base' }, { url: 'http://gw.test/api/items/1?x=1' });
    assert.equal(r.status, 200);
    const echoed = r.json<{ path: string; query: Record<string, string[]> }>();
    assert.equal(echoed.path, '/base/items/1');
    assert.deepEqual(echoed.query, { x: ['1'] });
  });

  it('reports unsupported policies with element, line and column', () => {
    assert.throws(
      () => compileOnly('<policies>\n  <inbound>\n    <no-such-policy />\n  </inbound>\n</policies>'),
      (err: unknown) => {
        assert.ok(err instanceof PolicyCompileError);
        assert.equal(err.element, 'no-such-policy');
        assert.equal(err.line, 3);
        assert.equal(err.column, 5);
        assert.match(err.message, /^Error in element 'no-such-policy' on line 3, column 5: Unsupported policy 'no-such-policy'\.$/);
        return true;
      },
    );
  });

  it('reports malformed XML against the representation', () => {
    assert.throws(() => compileOnly('<policies><inbound></policies>'), (err: unknown) => {
      assert.ok(err instanceof PolicyCompileError);
      assert.equal(err.element, 'representation');
      return true;
    });
  });

  it('maps a refused backend connection to Azure 500 with activityId', async () => {
    const r = await runPolicies({ serviceUrl: 'http://127.0.0.1:1' });
    assert.equal(r.status, 500);
    const body = r.json<{ statusCode: number; message: string; activityId: string }>();
    assert.equal(body.statusCode, 500);
    assert.equal(body.message, 'Internal server error');
    assert.match(body.activityId, /^[0-9a-f-]{36}$/);
    assert.equal(r.gw.lastError?.reason, 'BackendConnectionFailure');
    assert.equal(r.gw.lastError?.section, 'backend');
  });

  it('without a serviceUrl or set-backend-service, fails with BackendConnectionFailure and calls nothing', async () => {
    // The caller's URL names a live server (standing for the gateway itself): before the fix the
    // request was sent back to it, and through a real gateway that loops until the timeout.
    const gatewayItself = await startCountingBackend('gateway');
    const r = await runPolicies({}, { url: `${gatewayItself.url}/api/items/1` }).finally(() => gatewayItself.close());
    assert.equal(r.status, 500);
    assert.equal(r.json<{ message: string }>().message, 'Internal server error');
    assert.equal(r.gw.lastError?.reason, 'BackendConnectionFailure');
    assert.equal(r.gw.lastError?.source, 'forward-request');
    assert.match(r.gw.lastError?.message ?? '', /no backend service URL/);
    assert.equal(gatewayItself.calls, 0, 'no request left the gateway');
  });
});
