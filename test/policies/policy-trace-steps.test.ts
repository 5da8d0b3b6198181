/**
 * What each policy records in a traced request (docs/tracing.md, "What a trace records"): one
 * document of many policies run through the gateway's own context construction with a valid
 * debug token; the steps come in order, under each policy's name, with what it did, and the
 * basic-auth password never appears.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generateDebugKey, signDebugToken } from '../../src/core/debug-token.js';
import type { TraceRecorder } from '../../src/pipeline/trace-recorder.js';
import { runPolicies } from '../helpers/policy-harness.js';

const key = generateDebugKey();
const token = signDebugToken({ apiName: 'test-api', gatewayId: 'managed', issuedAt: Date.now() - 1000, expiresAt: Date.now() + 60_000 }, key);

const inbound = `
  <cors><allowed-origins><origin>*</origin></allowed-origins><allowed-headers><header>*</header></allowed-headers></cors>
  <ip-filter action="allow"><address-range from="0.0.0.0" to="255.255.255.255" /></ip-filter>
  <check-header name="X-Need" failed-check-httpcode="401" failed-check-error-message="no" ignore-case="true" />
  <rate-limit-by-key calls="5" renewal-period="60" counter-key="k" />
  <quota-by-key calls="10" renewal-period="3600" counter-key="k" />
  <set-query-parameter name="q" exists-action="override"><value>1</value></set-query-parameter>
  <rewrite-uri template="/other" />
  <set-method>POST</set-method>
  <authentication-basic username="ann" password="pa55word-never-traced" />
  <cache-store-value key="ck" value="cv" duration="60" />
  <cache-lookup-value key="ck" variable-name="found" />
  <cache-remove-value key="ck" />
  <limit-concurrency key="c" max-count="2"><set-variable name="inside" value="yes" /></limit-concurrency>
  <emit-metric name="m" value="1"><dimension name="API ID" /></emit-metric>
  <choose><when condition="@(false)"><set-variable name="never" value="x" /></when></choose>
  <mock-response status-code="202" content-type="text/plain" />`;

describe('what policies record in a traced request', () => {
  it('records each step under its policy name, in order, with what it did', async () => {
    const r = await runPolicies(
      { api: `<policies><inbound>${inbound}</inbound><backend /><outbound /><on-error /></policies>`, debugCredentials: { key, invalidatedAt: {} } },
      { headers: { 'Apim-Debug-Authorization': token, 'X-Need': 'here' } },
    );
    assert.equal(r.status, 202);
    const steps = (r.gw.requestTrace as TraceRecorder).document().traceEntries.inbound!.slice(2);
    assert.deepEqual(steps.map((s) => s.source), [
      'cors', 'ip-filter', 'check-header', 'rate-limit-by-key', 'quota-by-key', 'set-query-parameter', 'rewrite-uri', 'set-method',
      'authentication-basic', 'cache-store-value', 'cache-lookup-value', 'cache-remove-value', 'limit-concurrency', 'set-variable', 'emit-metric', 'choose', 'mock-response',
    ]);
    const data = (source: string) => steps.find((s) => s.source === source)!.data as Record<string, unknown>;
    assert.equal(steps[0]!.data, 'Origin header was missing or empty and the request was classified as not cross-domain. CORS policy was not applied.');
    assert.deepEqual({ remaining: data('rate-limit-by-key').remainingCalls, total: data('rate-limit-by-key').totalCalls }, { remaining: 4, total: 5 });
    assert.deepEqual({ remaining: data('quota-by-key').remainingCalls, total: data('quota-by-key').totalCalls }, { remaining: 9, total: 10 });
    assert.deepEqual(data('set-query-parameter').parameter, { name: 'q', value: '1' });
    assert.match(String(data('rewrite-uri').url), /\/other\?q=1$/);
    assert.equal(data('set-method').message, 'Request method was set to POST.');
    assert.deepEqual(data('cache-lookup-value'), { message: 'Cache lookup resulted in a hit.', 'variable-name': 'found', value: 'cv' });
    assert.equal(data('limit-concurrency').running, 1);
    assert.equal(data('choose').branch, null);
    assert.equal(data('mock-response').status, 202);
    assert.equal(data('authentication-basic').username, 'ann');
    assert.ok(!JSON.stringify(steps).includes('pa55word-never-traced'));
  });
});
