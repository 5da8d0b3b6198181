/**
 * The buffering limit as policies meet it (`--max-buffered-body-size`, docs/limits.md): a
 * request body past it answers 413, a response body past it 502, whether an expression or
 * forward-request's buffer-request-body wanted it; `Body.As<string>` also keeps to the
 * expression string limit.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { runPolicies, useEchoBackend } from '../helpers/policy-harness.js';

const backend = useEchoBackend();
const limit = 64 * 1024;

/** A body arriving as a stream of `total` bytes, as a client upload does. */
function upload(total: number): Readable {
  const chunk = Buffer.alloc(16 * 1024, 0x62);
  return Readable.from(
    (function* () {
      for (let sent = 0; sent < total; sent += chunk.length) yield chunk.subarray(0, Math.min(chunk.length, total - sent));
    })(),
  );
}

const readsRequestBody = `<policies><inbound><set-variable name="length" value="@(context.Request.Body.As<string>(preserveContent: true).Length)" /></inbound><backend><forward-request /></backend></policies>`;

describe('buffering limit', () => {
  it('answers 413 when a policy reads a request body past the limit, without forwarding', async () => {
    const r = await runPolicies({ serviceUrl: backend.url, api: readsRequestBody, maxBufferedBodyBytes: limit }, { method: 'POST', body: upload(1024 * 1024) });
    const message = `The request body is larger than the ${limit} bytes a policy may buffer.`;
    assert.equal(r.status, 413);
    assert.equal(r.body, JSON.stringify({ statusCode: 413, message }));
    assert.equal(r.gw.forwarded, false);
    assert.equal(r.gw.lastError?.source, 'set-variable');
    assert.equal(r.gw.lastError?.reason, 'RequestBodyTooLarge');
    assert.equal(r.gw.lastError?.message, message);
    assert.equal(r.gw.lastError?.section, 'inbound');
  });

  it('reads a request body within the limit as before', async () => {
    const r = await runPolicies({ serviceUrl: backend.url, api: readsRequestBody, maxBufferedBodyBytes: limit }, { method: 'POST', body: upload(limit) });
    assert.equal(r.status, 200);
    assert.equal(r.gw.variables.get('length'), limit);
  });

  it('keeps to 2 MiB when no limit is set', async () => {
    const over = await runPolicies({ serviceUrl: backend.url, api: readsRequestBody }, { method: 'POST', body: upload(2 * 1024 * 1024 + 1) });
    assert.equal(over.status, 413);
    const within = await runPolicies({ serviceUrl: backend.url, api: readsRequestBody }, { method: 'POST', body: upload(2 * 1024 * 1024) });
    assert.equal(within.status, 200);
  });

  it('answers 502 with the response-side message when a policy reads a response body past the limit', async () => {
    const api = `<policies><inbound /><backend><forward-request /></backend><outbound><set-variable name="length" value="@(context.Response.Body.As<string>().Length)" /></outbound></policies>`;
    const r = await runPolicies({ serviceUrl: backend.url, api, maxBufferedBodyBytes: limit }, { url: `http://gateway.test/api/bytes/${1024 * 1024}` });
    assert.equal(r.status, 502);
    const body = r.json<{ statusCode: number; message: string; activityId?: string }>();
    assert.equal(body.message, 'The request could not be processed due to an internal error. Contact the API owner.');
    assert.equal(typeof body.activityId, 'string');
    assert.equal(r.gw.lastError?.reason, 'ResponseBodyTooLarge');
    assert.equal(r.gw.lastError?.message, `The response body is larger than the ${limit} bytes a policy may buffer.`);
  });

  it("holds forward-request's buffer-request-body to the same limit", async () => {
    const api = '<policies><inbound /><backend><forward-request buffer-request-body="true" /></backend></policies>';
    const over = await runPolicies({ serviceUrl: backend.url, api, maxBufferedBodyBytes: limit }, { method: 'POST', body: upload(limit + 1) });
    assert.equal(over.status, 413);
    assert.equal(over.gw.lastError?.source, 'forward-request');
    const within = await runPolicies({ serviceUrl: backend.url, api, maxBufferedBodyBytes: limit }, { method: 'POST', body: upload(limit) });
    assert.equal(within.status, 200);
    assert.equal(within.json<{ bodySize: number }>().bodySize, limit, 'the backend got the whole body');
  });

  it('fails Body.As<string> cleanly past the expression string limit (4 Mi characters)', async () => {
    const r = await runPolicies(
      { serviceUrl: backend.url, api: readsRequestBody, maxBufferedBodyBytes: 16 * 1024 * 1024 },
      { method: 'POST', body: upload(5 * 1024 * 1024) },
    );
    assert.equal(r.status, 500);
    assert.equal(r.gw.lastError?.reason, 'ExpressionValueEvaluationFailure');
    assert.match(r.gw.lastError?.message ?? '', /A string of 5242880 characters exceeds the limit of 4194304/);
  });
});
