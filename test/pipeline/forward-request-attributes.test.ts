/**
 * forward-request's attributes against the real echo backend (reference §3 "Backend", §1.5):
 * timeout, follow-redirects, buffer-request-body, fail-on-error-status-code.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PolicyCompileError } from '../../src/pipeline/policy-module.js';
import { compileOnly, runPolicies, useEchoBackend } from '../helpers/policy-harness.js';

const backend = useEchoBackend();

const withBackend = (forward: string, onError = '') =>
  `<policies><inbound /><backend>${forward}</backend><outbound><set-variable name="outbound" value="ran" /></outbound><on-error>${onError}</on-error></policies>`;

describe('forward-request attributes', () => {
  it('times out a slow backend: LastError reason Timeout and the 500 body', async () => {
    const r = await runPolicies(
      { serviceUrl: backend.url, api: withBackend('<forward-request timeout="1" />', '<set-variable name="on-error" value="ran" />') },
      // The backend waits five times the timeout, so a busy machine cannot turn this around;
      // not longer, as its pending timer keeps the test process alive until it fires.
      { url: 'http://gw.test/api/delay/5000' },
    );
    assert.equal(r.status, 500);
    const body = r.json<{ statusCode: number; message: string; activityId: string }>();
    assert.equal(body.statusCode, 500);
    assert.equal(body.message, 'Internal server error');
    assert.equal(body.activityId, r.gw.requestId);
    assert.equal(r.gw.lastError?.source, 'forward-request');
    assert.equal(r.gw.lastError?.reason, 'Timeout');
    assert.equal(r.gw.lastError?.section, 'backend');
    assert.equal(r.gw.variables.get('on-error'), 'ran');
    assert.equal(r.gw.variables.has('outbound'), false);
  });

  it('waits for a slow backend within the timeout', async () => {
    const r = await runPolicies({ serviceUrl: backend.url, api: withBackend('<forward-request timeout="60" />') }, { url: 'http://gw.test/api/delay/50' });
    assert.equal(r.status, 200);
    assert.equal(r.json<{ path: string }>().path, '/delay/50');
  });

  it('returns redirects to the caller by default', async () => {
    const r = await runPolicies({ serviceUrl: backend.url, api: withBackend('<forward-request />') }, { url: 'http://gw.test/api/redirect/2' });
    assert.equal(r.status, 302);
    assert.equal(r.headers.get('location'), '/redirect/1');
    assert.equal(r.gw.variables.get('outbound'), 'ran');
  });

  it('follows redirects with follow-redirects="true"', async () => {
    const r = await runPolicies(
      { serviceUrl: backend.url, api: withBackend('<forward-request follow-redirects="true" />') },
      { url: 'http://gw.test/api/redirect/3' },
    );
    assert.equal(r.status, 200);
    assert.equal(r.json<{ path: string }>().path, '/landed');
  });

  it('sends a buffered request body with its length and keeps it readable', async () => {
    const payload = JSON.stringify({ hello: 'world', n: [1, 2, 3] });
    const r = await runPolicies(
      { serviceUrl: backend.url, api: withBackend('<forward-request buffer-request-body="true" />') },
      { method: 'POST', url: 'http://gw.test/api/items', body: payload, headers: { 'content-type': 'application/json' } },
    );
    const echoed = r.json<{ method: string; body: string; bodySize: number; headers: Record<string, string> }>();
    assert.equal(echoed.method, 'POST');
    assert.equal(echoed.body, payload);
    assert.equal(echoed.headers['content-length'], String(Buffer.byteLength(payload)));
    // Buffering keeps the content for a second send (retry).
    assert.equal((await r.gw.request.body.read(true)).toString(), payload);
  });

  it('passes backend error statuses through by default', async () => {
    const r = await runPolicies(
      { serviceUrl: backend.url, api: withBackend('<forward-request />', '<set-variable name="on-error" value="ran" />') },
      { url: 'http://gw.test/api/status/500' },
    );
    assert.equal(r.status, 500);
    assert.deepEqual(r.json(), { status: 500 });
    assert.equal(r.gw.lastError, null);
    assert.equal(r.gw.variables.has('on-error'), false);
    assert.equal(r.gw.variables.get('outbound'), 'ran');
  });

  it('runs on-error for backend 4xx/5xx with fail-on-error-status-code="true"', async () => {
    for (const status of [500, 404]) {
      const r = await runPolicies(
        {
          serviceUrl: backend.url,
          api: withBackend(
            '<forward-request fail-on-error-status-code="true" />',
            '<set-variable name="on-error" value="ran" /><return-response><set-status code="502" reason="Bad Gateway" /><set-body>backend failed</set-body></return-response>',
          ),
        },
        { url: `http://gw.test/api/status/${status}` },
      );
      assert.equal(r.gw.variables.get('on-error'), 'ran');
      assert.equal(r.gw.variables.has('outbound'), false);
      assert.equal(r.gw.lastError?.source, 'forward-request');
      assert.equal(r.gw.lastError?.section, 'backend');
      assert.equal(r.status, 502);
      assert.equal(r.body, 'backend failed');
    }
  });

  it('answers the backend status with Azure\'s error body when on-error does not answer', async () => {
    const r = await runPolicies(
      { serviceUrl: backend.url, api: withBackend('<forward-request fail-on-error-status-code="true" />') },
      { url: 'http://gw.test/api/status/404' },
    );
    assert.equal(r.status, 404);
    assert.deepEqual(r.json(), { statusCode: 404, message: 'Backend service responded with status code 404.' });
    assert.equal(r.gw.lastError?.reason, 'BackendErrorStatusCode');
    assert.equal(r.gw.lastError?.message, 'Backend service responded with status code 404.');
  });

  it('does not fail on success statuses with fail-on-error-status-code="true"', async () => {
    const r = await runPolicies(
      { serviceUrl: backend.url, api: withBackend('<forward-request fail-on-error-status-code="true" />') },
      { url: 'http://gw.test/api/status/201' },
    );
    assert.equal(r.status, 201);
    assert.equal(r.gw.lastError, null);
  });

  it('validates its attributes and section', () => {
    const cases: Array<[string, RegExp]> = [
      ['<policies><inbound><forward-request /></inbound></policies>', /not allowed in the 'inbound' section/],
      ['<policies><backend><forward-request timeout="soon" /></backend></policies>', /not a valid integer/],
      ['<policies><backend><forward-request timeout="-1" /></backend></policies>', /at least 0/],
      ['<policies><backend><forward-request follow-redirects="maybe" /></backend></policies>', /not a valid boolean/],
      ['<policies><backend><forward-request buffer-request-body="@(true)" /></backend></policies>', /does not accept policy expressions/],
      ['<policies><backend><forward-request http-version="3" /></backend></policies>', /is not one of: 1, 2or1, 2/],
      ['<policies><backend><forward-request retries="3" /></backend></policies>', /'retries' attribute is not declared/],
    ];
    for (const [xml, reason] of cases) {
      assert.throws(() => compileOnly(xml), (err: unknown) => err instanceof PolicyCompileError && reason.test(err.reason), xml);
    }
  });
});
