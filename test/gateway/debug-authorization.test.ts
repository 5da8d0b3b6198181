/**
 * The `Apim-Debug-Authorization` check and what policies record in a traced request, through the
 * gateway's own context construction (policy harness): every outcome of a token, the header
 * taken off the request, the on-error entry with LastError, and nothing recorded untraced.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generateDebugKey, signDebugToken } from '../../src/core/debug-token.js';
import type { TraceRecorder } from '../../src/pipeline/trace-recorder.js';
import { runPolicies } from '../helpers/policy-harness.js';

const key = generateDebugKey();
const now = Date.now();
const token = (over: Partial<Parameters<typeof signDebugToken>[0]> = {}, signingKey = key): string =>
  signDebugToken({ apiName: 'test-api', gatewayId: 'managed', issuedAt: now - 1000, expiresAt: now + 60_000, ...over }, signingKey);
const api = `<policies><inbound><set-variable name="who" value="@(context.Request.Headers.GetValueOrDefault(&quot;Apim-Debug-Authorization&quot;, &quot;none&quot;))" /><set-header name="X-Secret" exists-action="override"><value>hunter2-secret</value></set-header><return-response><set-status code="201" reason="Made" /></return-response></inbound><backend /><outbound /><on-error /></policies>`;

async function run(header: string | undefined, invalidatedAt: Record<string, number> = {}) {
  const r = await runPolicies(
    { api, debugCredentials: { key, invalidatedAt }, secretValues: ['hunter2-secret'] },
    header === undefined ? {} : { headers: { 'Apim-Debug-Authorization': header } },
  );
  return { r, trace: r.gw.requestTrace as TraceRecorder | undefined };
}

describe('Apim-Debug-Authorization', () => {
  it('traces a request with a valid token and answers Apim-Trace-Id; policies never see the header', async () => {
    const { r, trace } = await run(token());
    assert.ok(trace);
    assert.equal(r.headers.get('Apim-Trace-Id'), trace.traceId);
    assert.equal(r.gw.variables.get('who'), 'none');
    const inbound = trace.document().traceEntries.inbound!;
    assert.deepEqual(inbound.map((e) => e.source), ['api-inspector', 'api-inspector', 'set-variable', 'set-header', 'set-status', 'return-response']);
    assert.deepEqual(inbound[3]!.data, { message: 'Specified value was assigned to the header (see below).', header: { name: 'X-Secret', value: '***' }, 'exists-action': 'override' });
    assert.deepEqual((inbound[5]!.data as { response: { status: unknown } }).response.status, { code: 201, reason: 'Made' });
  });

  it('marks an expired token and one for another API, and ignores one for another gateway, invalidated or forged', async () => {
    const expired = await run(token({ expiresAt: now - 1 }));
    assert.equal(expired.trace, undefined);
    assert.equal(expired.r.headers.get('Apim-Debug-Authorization-Expired'), 'true');
    const wrong = await run(token({ apiName: 'other' }));
    assert.equal(wrong.trace, undefined);
    assert.equal(wrong.r.headers.get('Apim-Debug-Authorization-WrongAPI'), 'true');
    for (const ignored of [await run(token({ gatewayId: 'gw1' })), await run(token(), { managed: now }), await run(token({}, generateDebugKey())), await run('garbage')]) {
      assert.equal(ignored.trace, undefined);
      assert.equal(ignored.r.status, 201);
      for (const name of ['Apim-Trace-Id', 'Apim-Debug-Authorization-Expired', 'Apim-Debug-Authorization-WrongAPI']) assert.equal(ignored.r.headers.get(name), undefined, name);
    }
    assert.ok((await run(token(), { managed: now - 5000 })).trace, 'a token issued after the invalidation traces');
  });

  it('masks in URLs the query parameters the access log hides: the subscription key and credential carriers', async () => {
    const r = await runPolicies(
      { api, debugCredentials: { key, invalidatedAt: {} } },
      { url: 'http://gateway.test/api/op?subscription-key=k-123&sig=s1g&access_token=t0k&page=2', headers: { 'Apim-Debug-Authorization': token() } },
    );
    const trace = r.gw.requestTrace as TraceRecorder;
    const received = trace.document().traceEntries.inbound![0]!.data as { request: { url: string } };
    assert.equal(received.request.url, 'http://gateway.test/api/op?subscription-key=***&sig=***&access_token=***&page=2');
  });

  it('records nothing without a token', async () => {
    const { r, trace } = await run(undefined);
    assert.equal(trace, undefined);
    assert.equal(r.headers.get('Apim-Trace-Id'), undefined);
  });

  it("records the failure in on-error with context.LastError", async () => {
    const failing = `<policies><inbound><set-variable name="n" value="@(int.Parse(&quot;x&quot;))" /></inbound><backend /><outbound /><on-error><set-status code="503" reason="Down" /></on-error></policies>`;
    const r = await runPolicies({ api: failing, debugCredentials: { key, invalidatedAt: {} } }, { headers: { 'Apim-Debug-Authorization': token() } });
    assert.equal(r.status, 503);
    const onError = (r.gw.requestTrace as TraceRecorder).document().traceEntries['on-error']!;
    assert.deepEqual(onError.map((e) => e.source), ['set-variable', 'set-status']);
    const data = onError[0]!.data as { lastError: Record<string, unknown> };
    assert.equal(data.lastError.reason, 'ExpressionValueEvaluationFailure');
    assert.equal(data.lastError.section, 'inbound');
    assert.equal(data.lastError.scope, 'api');
  });
});
