import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { PolicyCompileError } from '../../src/pipeline/policy-module.js';
import { compileOnly, runPolicies, useEchoBackend } from '../helpers/policy-harness.js';

const backend = useEchoBackend();

const inbound = (xml: string) => `<policies><inbound>${xml}</inbound><backend><forward-request /></backend></policies>`;
const policy = (ignoreCase: boolean, values: string[], extra = '') =>
  inbound(
    `<check-header name="X-Api-Key" failed-check-httpcode="401" failed-check-error-message="Not authorized" ignore-case="${ignoreCase}"${extra}>` +
      values.map((v) => `<value>${v}</value>`).join('') +
      '</check-header>',
  );

describe('check-header', () => {
  it('lets a request with an allowed value through to the backend', async () => {
    const r = await runPolicies({ serviceUrl: backend.url, api: policy(false, ['alpha', 'beta']) }, { headers: { 'x-api-key': 'beta' } });
    assert.equal(r.status, 200);
    assert.equal(r.json<{ headers: Record<string, string> }>().headers['x-api-key'], 'beta');
    assert.equal(r.gw.lastError, null);
  });

  it('fails with HeaderNotFound and the configured status and message when the header is missing', async () => {
    const r = await runPolicies({ serviceUrl: backend.url, api: policy(false, ['alpha']) });
    assert.equal(r.status, 401);
    assert.deepEqual(r.json(), { statusCode: 401, message: 'Not authorized' });
    assert.equal(r.gw.lastError?.source, 'check-header');
    assert.equal(r.gw.lastError?.reason, 'HeaderNotFound');
    assert.equal(r.gw.lastError?.message, 'Header X-Api-Key was not found in the request. Access denied.');
    assert.equal(r.gw.lastError?.section, 'inbound');
    assert.equal(r.gw.lastError?.scope, 'api');
  });

  it('fails with HeaderValueNotAllowed for a value not in the list', async () => {
    const r = await runPolicies(
      { serviceUrl: backend.url, api: policy(false, ['alpha', 'beta']) },
      { headers: { 'x-api-key': 'gamma' } },
    );
    assert.equal(r.status, 401);
    assert.deepEqual(r.json(), { statusCode: 401, message: 'Not authorized' });
    assert.equal(r.gw.lastError?.reason, 'HeaderValueNotAllowed');
    assert.equal(r.gw.lastError?.message, 'Header X-Api-Key value of gamma is not allowed. Access denied.');
  });

  it('compares case-sensitively unless ignore-case is true', async () => {
    const strict = await runPolicies({ serviceUrl: backend.url, api: policy(false, ['Alpha']) }, { headers: { 'x-api-key': 'ALPHA' } });
    assert.equal(strict.status, 401);
    assert.equal(strict.gw.lastError?.reason, 'HeaderValueNotAllowed');
    const relaxed = await runPolicies({ serviceUrl: backend.url, api: policy(true, ['Alpha']) }, { headers: { 'x-api-key': 'ALPHA' } });
    assert.equal(relaxed.status, 200);
  });

  it('only requires presence when no value is listed, and finds the header case-insensitively', async () => {
    const r = await runPolicies({ serviceUrl: backend.url, api: policy(false, []) }, { headers: { 'X-API-KEY': 'anything' } });
    assert.equal(r.status, 200);
    const empty = await runPolicies({ serviceUrl: backend.url, api: policy(false, []) }, { headers: { 'x-api-key': '' } });
    assert.equal(empty.status, 200, 'a present but empty header exists');
  });

  it('accepts any one of several header lines', async () => {
    const r = await runPolicies({ serviceUrl: backend.url, api: policy(false, ['beta']) }, { headers: { 'x-api-key': ['alpha', 'beta'] } });
    assert.equal(r.status, 200);
    const bad = await runPolicies({ serviceUrl: backend.url, api: policy(false, ['gamma']) }, { headers: { 'x-api-key': ['alpha', 'beta'] } });
    assert.equal(bad.gw.lastError?.message, 'Header X-Api-Key value of alpha,beta is not allowed. Access denied.');
  });

  it('uses the configured status code and runs on-error with LastError filled', async () => {
    const doc = `<policies><inbound><check-header name="X-Tenant" failed-check-httpcode="403" failed-check-error-message="Tenant required" ignore-case="true" /></inbound>
      <on-error><set-header name="X-Handled" exists-action="override"><value>yes</value></set-header></on-error></policies>`;
    const r = await runPolicies({ serviceUrl: backend.url, api: doc });
    assert.equal(r.status, 403);
    assert.deepEqual(r.json(), { statusCode: 403, message: 'Tenant required' });
    assert.equal(r.headers.get('X-Handled'), 'yes');
    assert.equal(r.gw.lastError?.reason, 'HeaderNotFound');
    assert.equal(r.gw.lastError?.message, 'Header X-Tenant was not found in the request. Access denied.');
  });

  it('runs the corpus basic-authentication snippet check', async () => {
    const xml = readFileSync(new URL('../fixtures/corpus/policy-snippets/Perform basic authentication.policy.xml', import.meta.url), 'utf8');
    const checkOnly = /<check-header[\s\S]*?<\/check-header>/.exec(xml)![0];
    const r = await runPolicies({ serviceUrl: backend.url, api: inbound(checkOnly) });
    assert.equal(r.status, 401);
    assert.deepEqual(r.json(), { statusCode: 401, message: 'Not authorized' });
    assert.equal(r.gw.lastError?.message, 'Header Authorization was not found in the request. Access denied.');
  });

  it('rejects bad configuration at compile time', () => {
    const bad = (xml: string, reason: RegExp) =>
      assert.throws(() => compileOnly(inbound(xml)), (e: unknown) => e instanceof PolicyCompileError && reason.test(e.reason));
    bad('<check-header name="a" failed-check-httpcode="401" failed-check-error-message="m" />', /required attribute 'ignore-case'/);
    bad('<check-header name="a" failed-check-httpcode="401" ignore-case="true" />', /required attribute 'failed-check-error-message'/);
    bad('<check-header failed-check-httpcode="401" failed-check-error-message="m" ignore-case="true" />', /required attribute 'name'/);
    bad('<check-header name="a" failed-check-error-message="m" ignore-case="true" />', /required attribute 'failed-check-httpcode'/);
    bad('<check-header name="a" failed-check-httpcode="abc" failed-check-error-message="m" ignore-case="true" />', /not a valid integer/);
    bad('<check-header name="a" failed-check-httpcode="401" failed-check-error-message="m" ignore-case="maybe" />', /not a valid boolean/);
    bad('<check-header name="a" failed-check-httpcode="401" failed-check-error-message="m" ignore-case="true"><val>x</val></check-header>', /'val' is not allowed/);
    assert.throws(
      () => compileOnly('<policies><outbound><check-header name="a" failed-check-httpcode="401" failed-check-error-message="m" ignore-case="true" /></outbound></policies>'),
      /not allowed in the 'outbound' section/,
    );
  });
});
