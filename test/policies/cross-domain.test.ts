/**
 * `cross-domain`: its placement (global scope, directly in inbound, once), the shape of the two
 * documents it holds, refused at save time with element, line and column; at run time it lets
 * the request through untouched and records a trace step.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { compileOnly, expectCompileError, runPolicies, useEchoBackend } from '../helpers/policy-harness.js';
import { generateDebugKey, signDebugToken } from '../../src/core/debug-token.js';
import type { TraceRecorder } from '../../src/pipeline/trace-recorder.js';

const backend = useEchoBackend();
const flash = '<cross-domain-policy><allow-http-request-headers-from domain="*" headers="*" /></cross-domain-policy>';
const silverlight =
  '<access-policy><cross-domain-access><policy><allow-from http-request-headers="*"><domain uri="*" /></allow-from>' +
  '<grant-to><resource path="/" include-subpaths="true" /></grant-to></policy></cross-domain-access></access-policy>';
const inbound = (content: string) => `<policies><inbound>${content}</inbound></policies>`;
const policy = (documents: string) => inbound(`<cross-domain>${documents}</cross-domain>`);

describe('cross-domain', () => {
  it('compiles at global scope with either document or both', () => {
    for (const documents of [flash, silverlight, flash + silverlight, `\n  <!-- note -->\n  ${silverlight}\n`]) {
      assert.equal(compileOnly(policy(documents), 'global').sections.inbound?.length, 1);
    }
  });

  it("compiles Azure's VS Code snippet as it is", () => {
    const snippets = JSON.parse(readFileSync(new URL('../fixtures/corpus/policy-snippets/vscode-snippets-xml.json', import.meta.url), 'utf8')) as Record<string, { body: string[] }>;
    assert.equal(compileOnly(inbound(snippets['cross-domain']!.body.join('\n')), 'global').sections.inbound?.length, 1);
  });

  it('is refused at every scope but global, outside inbound, and twice', () => {
    for (const scope of ['product', 'api', 'operation'] as const) {
      const e = expectCompileError(policy(flash), scope);
      assert.equal(e.element, 'cross-domain');
      assert.match(e.reason, new RegExp(`not allowed at the '${scope}' scope`));
      assert.deepEqual([e.line, e.column], [1, 20]);
    }
    for (const section of ['outbound', 'backend', 'on-error']) {
      const e = expectCompileError(`<policies><${section}><cross-domain>${flash}</cross-domain></${section}></policies>`, 'global');
      assert.match(e.reason, new RegExp(`not allowed in the '${section}' section`));
    }
    assert.match(expectCompileError(inbound(`<cross-domain>${flash}</cross-domain><cross-domain>${silverlight}</cross-domain>`), 'global').reason, /only once/);
  });

  it('must sit directly in the section: not inside choose or a fragment', () => {
    const inChoose = expectCompileError(inbound(`<choose><when condition="@(true)"><cross-domain>${flash}</cross-domain></when></choose>`), 'global');
    assert.equal(inChoose.element, 'cross-domain');
    assert.match(inChoose.reason, /directly in the global 'inbound' section/);
    const inFragment = expectCompileError(inbound('<include-fragment fragment-id="cd" />'), 'global', { fragments: { cd: `<fragment><cross-domain>${flash}</cross-domain></fragment>` } });
    assert.match(inFragment.reason, /directly in the global 'inbound' section/);
  });

  it('refuses content that is not one of the two documents, with its line and column', () => {
    assert.match(expectCompileError(policy(''), 'global').reason, /must hold a 'cross-domain-policy' or an 'access-policy'/);
    assert.match(expectCompileError(policy('just text'), 'global').reason, /Unexpected text content/);
    const unknown = expectCompileError(inbound(`<cross-domain>\n  <cross-domain>${flash}</cross-domain>\n</cross-domain>`), 'global');
    assert.deepEqual([unknown.element, unknown.line, unknown.column], ['cross-domain', 2, 3]);
    assert.match(unknown.reason, /Expected 'cross-domain-policy' or 'access-policy'/);
    assert.match(expectCompileError(policy(flash + flash), 'global').reason, /'cross-domain-policy' may appear only once/);
  });

  it('checks each document against its format', () => {
    const stray = expectCompileError(policy('<cross-domain-policy>\n<allow-from domain="*" /></cross-domain-policy>'), 'global');
    assert.deepEqual([stray.element, stray.line, stray.column], ['allow-from', 2, 1]);
    assert.match(stray.reason, /not allowed in 'cross-domain-policy'/);
    const missing = expectCompileError(policy('<cross-domain-policy><allow-access-from to-ports="80" /></cross-domain-policy>'), 'global');
    assert.equal(missing.element, 'allow-access-from');
    assert.match(missing.reason, /required attribute 'domain'/);
    assert.match(expectCompileError(policy('<cross-domain-policy><allow-access-from domain="*" port="80" /></cross-domain-policy>'), 'global').reason, /'port' attribute is not declared/);
    assert.match(expectCompileError(policy('<cross-domain-policy><site-control permitted-cross-domain-policies="some" /></cross-domain-policy>'), 'global').reason, /not one of: none, master-only/);
    assert.match(expectCompileError(policy('<access-policy><cross-domain-access><policy><grant-to><resource /></grant-to></policy></cross-domain-access></access-policy>'), 'global').reason, /required attribute 'path'/);
    assert.match(expectCompileError(policy('<access-policy><policy /></access-policy>'), 'global').reason, /'policy' is not allowed in 'access-policy'/);
    assert.match(expectCompileError(policy('<cross-domain-policy><allow-access-from domain="@(context.Request.Url.Host)" /></cross-domain-policy>'), 'global').reason, /does not accept policy expressions/);
    assert.match(expectCompileError(policy('<cross-domain-policy>text</cross-domain-policy>'), 'global').reason, /Unexpected text content in 'cross-domain-policy'/);
  });

  it('refuses a named value that does not exist', () => {
    const e = expectCompileError(policy('<cross-domain-policy><allow-access-from domain="{{flash-domain}}" /></cross-domain-policy>'), 'global');
    assert.match(e.reason, /Cannot find a named value with name 'flash-domain'/);
    assert.equal(compileOnly(policy('<cross-domain-policy><allow-access-from domain="{{flash-domain}}" /></cross-domain-policy>'), 'global', { namedValues: { 'flash-domain': '*.contoso.com' } }).scope, 'global');
  });

  it('lets requests through untouched and says so in the trace', async () => {
    const key = generateDebugKey();
    const token = signDebugToken({ apiName: 'test-api', gatewayId: 'managed', issuedAt: Date.now() - 1000, expiresAt: Date.now() + 60_000 }, key);
    const r = await runPolicies(
      { serviceUrl: backend.url, global: inbound(`<cross-domain>${flash}${silverlight}</cross-domain>`), debugCredentials: { key, invalidatedAt: {} } },
      { url: 'http://gateway.test/api/op', headers: { 'Apim-Debug-Authorization': token } },
    );
    assert.equal(r.status, 200);
    assert.equal(r.json<{ method: string }>().method, 'GET');
    const steps = (r.gw.requestTrace as TraceRecorder).document().traceEntries.inbound!;
    const step = steps.find((s) => s.source === 'cross-domain');
    assert.deepEqual((step?.data as { served: string[] }).served, ['/crossdomain.xml', '/clientaccesspolicy.xml']);
  });
});
