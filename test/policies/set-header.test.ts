import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { PolicyCompileError } from '../../src/pipeline/policy-module.js';
import { compileOnly, runPolicies, expectCompileError, useEchoBackend } from '../helpers/policy-harness.js';

interface Echo {
  method: string;
  path: string;
  query: Record<string, string[]>;
  headers: Record<string, string | string[] | undefined>;
}

const backend = useEchoBackend();

const inbound = (body: string) => `<policies><inbound>${body}</inbound></policies>`;
const outbound = (body: string) => `<policies><outbound>${body}</outbound></policies>`;

const compileError = (xml: string): PolicyCompileError => expectCompileError(xml);

/** The values Node's server saw, whether they came joined or as repeated lines. */
function received(echo: Echo, name: string): string[] | undefined {
  const v = echo.headers[name];
  if (v === undefined) return undefined;
  return (Array.isArray(v) ? v.join(',') : v).split(/,\s*/);
}

/** The set-header snippet from the public VS Code snippet corpus, with its placeholders filled. */
function corpusSnippet(name: string, fill: Record<string, string>): string {
  const path = new URL('../fixtures/corpus/policy-snippets/vscode-snippets-xml.json', import.meta.url);
  const snippets = JSON.parse(readFileSync(path, 'utf8')) as Record<string, { body: string | string[] }>;
  const body = snippets[name]!.body;
  const text = Array.isArray(body) ? body.join('\n') : body;
  return text.replace(/\$\{(\d+)\|[^}]*\|\}|\$\{(\d+):[^}]*\}|\$(\d+)/g, (_m, a, b, c) => fill[a ?? b ?? c] ?? '');
}

describe('set-header', () => {
  it('overrides a request header for the backend (inbound)', async () => {
    const r = await runPolicies(
      { serviceUrl: backend.url, api: inbound('<set-header name="X-Env" exists-action="override"><value>prod</value></set-header>') },
      { headers: { 'x-env': 'dev' } },
    );
    assert.equal(r.status, 200);
    assert.equal(r.json<Echo>().headers['x-env'], 'prod');
  });

  it('defaults exists-action to override', async () => {
    const r = await runPolicies(
      { serviceUrl: backend.url, api: inbound('<set-header name="X-Env"><value>prod</value></set-header>') },
      { headers: { 'x-env': 'dev' } },
    );
    assert.equal(r.json<Echo>().headers['x-env'], 'prod');
  });

  it('skip keeps an existing header and adds a missing one', async () => {
    const xml = inbound(
      '<set-header name="X-A" exists-action="skip"><value>policy</value></set-header>' +
        '<set-header name="X-B" exists-action="skip"><value>policy</value></set-header>',
    );
    const r = await runPolicies({ serviceUrl: backend.url, api: xml }, { headers: { 'x-a': 'client' } });
    const echo = r.json<Echo>();
    assert.equal(echo.headers['x-a'], 'client');
    assert.equal(echo.headers['x-b'], 'policy');
  });

  it('append adds values after the existing ones', async () => {
    const r = await runPolicies(
      { serviceUrl: backend.url, api: inbound('<set-header name="X-List" exists-action="append"><value>2</value><value>3</value></set-header>') },
      { headers: { 'x-list': '1' } },
    );
    assert.deepEqual(r.gw.request.headers.getAll('x-list'), ['1', '2', '3']);
    assert.deepEqual(received(r.json<Echo>(), 'x-list'), ['1', '2', '3']);
  });

  it('append creates a missing header', async () => {
    const r = await runPolicies({
      serviceUrl: backend.url,
      api: inbound('<set-header name="X-New" exists-action="append"><value>v</value></set-header>'),
    });
    assert.equal(r.json<Echo>().headers['x-new'], 'v');
  });

  it('override with several values sets exactly those values', async () => {
    const r = await runPolicies(
      { serviceUrl: backend.url, api: inbound('<set-header name="X-List" exists-action="override"><value>a</value><value>b</value></set-header>') },
      { headers: { 'x-list': 'old' } },
    );
    assert.deepEqual(r.gw.request.headers.getAll('X-List'), ['a', 'b']);
    assert.deepEqual(received(r.json<Echo>(), 'x-list'), ['a', 'b']);
  });

  it('override without a value sends the header with an empty value', async () => {
    const r = await runPolicies(
      { serviceUrl: backend.url, api: inbound('<set-header name="X-Empty" exists-action="override" />') },
      { headers: { 'x-empty': 'something' } },
    );
    assert.equal(r.json<Echo>().headers['x-empty'], '');
  });

  it('delete removes a request header, whatever its case', async () => {
    const r = await runPolicies(
      { serviceUrl: backend.url, api: inbound('<set-header name="authorization" exists-action="delete" />') },
      { headers: { Authorization: 'Basic dXNlcjpwYXNz', 'x-keep': '1' } },
    );
    const echo = r.json<Echo>();
    assert.equal(echo.headers.authorization, undefined);
    assert.equal(echo.headers['x-keep'], '1');
  });

  it('acts on the backend request in the backend section', async () => {
    const r = await runPolicies({
      serviceUrl: backend.url,
      api: '<policies><backend><set-header name="X-Section" exists-action="override"><value>backend</value></set-header><forward-request /></backend></policies>',
    });
    assert.equal(r.json<Echo>().headers['x-section'], 'backend');
  });

  it('substitutes named values in the value', async () => {
    const r = await runPolicies({
      serviceUrl: backend.url,
      namedValues: { 'api-token': 's3cret' },
      api: inbound('<set-header name="X-Token" exists-action="override"><value>{{api-token}}</value></set-header>'),
    });
    assert.equal(r.json<Echo>().headers['x-token'], 's3cret');
  });

  it('sets, overrides and deletes response headers in outbound', async () => {
    const r = await runPolicies({
      serviceUrl: backend.url,
      api: outbound(
        '<set-header name="X-Powered-By" exists-action="override"><value>Gatehouse</value></set-header>' +
          '<set-header name="Content-Type" exists-action="override"><value>text/plain</value></set-header>' +
          '<set-header name="Set-Cookie" exists-action="append"><value>a=1</value><value>b=2</value></set-header>',
      ),
    });
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('x-powered-by'), 'Gatehouse');
    assert.equal(r.headers.get('content-type'), 'text/plain');
    assert.deepEqual(r.headers.getAll('set-cookie'), ['a=1', 'b=2']);
    // The request side is untouched by outbound set-header.
    assert.equal(r.gw.request.headers.has('x-powered-by'), false);

    const deleted = await runPolicies({
      serviceUrl: backend.url,
      api: outbound('<set-header name="Content-Type" exists-action="delete" />'),
    });
    assert.equal(deleted.headers.has('content-type'), false);
  });

  it('changes the error response in on-error', async () => {
    const r = await runPolicies({
      serviceUrl: 'http://127.0.0.1:1',
      api: '<policies><on-error><set-header name="X-Error" exists-action="override"><value>handled</value></set-header></on-error></policies>',
    });
    assert.equal(r.status, 500);
    assert.equal(r.headers.get('x-error'), 'handled');
    assert.equal(r.gw.lastError?.reason, 'BackendConnectionFailure');
  });

  it('ignores changes to Connection, Content-Length, Keep-Alive and Transfer-Encoding', async () => {
    const frozen = ['Connection', 'Content-Length', 'Keep-Alive', 'Transfer-Encoding'];
    const plain = await runPolicies({ serviceUrl: backend.url });
    const contentLength = plain.headers.get('content-length');
    assert.ok(contentLength !== undefined);
    const r = await runPolicies({
      serviceUrl: backend.url,
      api:
        '<policies><inbound>' +
        frozen.map((n) => `<set-header name="${n}" exists-action="override"><value>7</value></set-header>`).join('') +
        '</inbound><outbound>' +
        frozen.map((n) => `<set-header name="${n}" exists-action="override"><value>9</value></set-header>`).join('') +
        '<set-header name="content-length" exists-action="delete" />' +
        '</outbound></policies>',
    });
    assert.equal(r.status, 200);
    for (const name of frozen) assert.equal(r.gw.request.headers.has(name), false, `request ${name}`);
    assert.equal(r.headers.get('content-length'), contentLength);
    for (const name of ['connection', 'keep-alive', 'transfer-encoding']) assert.equal(r.headers.has(name), false, `response ${name}`);
  });

  it('does not remove Server from the response, but does from the request', async () => {
    const r = await runPolicies(
      {
        serviceUrl: backend.url,
        api:
          '<policies><inbound><set-header name="Server" exists-action="delete" /></inbound>' +
          '<outbound><set-header name="Server" exists-action="override"><value>edge</value></set-header>' +
          '<set-header name="Server" exists-action="delete" /></outbound></policies>',
      },
      { headers: { server: 'client-sent' } },
    );
    assert.equal(r.json<Echo>().headers.server, undefined);
    assert.equal(r.headers.get('server'), 'edge');
  });

  it('cannot remove the caller IP from X-Forwarded-For', async () => {
    const r = await runPolicies(
      { serviceUrl: backend.url, api: inbound('<set-header name="X-Forwarded-For" exists-action="delete" />') },
      { headers: { 'x-forwarded-for': '10.9.8.7' }, ip: '192.0.2.10' },
    );
    assert.equal(r.json<Echo>().headers['x-forwarded-for'], '192.0.2.10');
  });

  it('runs the set-header snippet of the public snippet corpus', async () => {
    const snippet = corpusSnippet('set-header', { '1': 'X-From-Corpus', '2': 'append', '3': 'corpus-value' });
    assert.match(snippet, /exists-action="append"/);
    const r = await runPolicies({ serviceUrl: backend.url, api: inbound(snippet) }, { headers: { 'x-from-corpus': 'client' } });
    assert.deepEqual(received(r.json<Echo>(), 'x-from-corpus'), ['client', 'corpus-value']);
  });

  describe('compile errors', () => {
    it('requires name', () => {
      const err = compileError(inbound('<set-header exists-action="override"><value>x</value></set-header>'));
      assert.equal(err.element, 'set-header');
      assert.match(err.message, /^Error in element 'set-header' on line 1, column \d+: The required attribute 'name' is missing\.$/);
    });

    it('rejects an unknown exists-action', () => {
      const err = compileError(inbound('<set-header name="X" exists-action="replace"><value>x</value></set-header>'));
      assert.equal(err.element, 'set-header');
      assert.equal(err.reason, "The value 'replace' of attribute 'exists-action' is not one of: override, skip, append, delete.");
    });

    it('accepts exists-action in any case', () => {
      assert.doesNotThrow(() => compileOnly(inbound('<set-header name="X" exists-action="Override"><value>x</value></set-header>')));
    });

    it('rejects unknown attributes and child elements', () => {
      assert.equal(compileError(inbound('<set-header name="X" mode="x" />')).reason, "The 'mode' attribute is not declared.");
      const child = compileError(inbound('<set-header name="X"><val>x</val></set-header>'));
      assert.equal(child.reason, "The element 'val' is not allowed in 'set-header'; only 'value' is.");
      const text = compileError(inbound('<set-header name="X">loose text</set-header>'));
      assert.equal(text.reason, "Unexpected text content in 'set-header'.");
    });

    it('rejects a header name that is not an HTTP token and values with line breaks', () => {
      assert.equal(compileError(inbound('<set-header name="Bad Name"><value>x</value></set-header>')).reason, "'Bad Name' is not a valid HTTP header name.");
      assert.equal(
        compileError(inbound('<set-header name="X"><value>a&#10;Injected: yes</value></set-header>')).reason,
        'Header values must not contain CR, LF or NUL characters.',
      );
    });

    it('reports an unknown named value', () => {
      const err = compileError(inbound('<set-header name="X"><value>{{missing}}</value></set-header>'));
      assert.equal(err.reason, "Cannot find a named value with name 'missing'.");
    });
  });
});
