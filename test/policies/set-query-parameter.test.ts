import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { PolicyCompileError } from '../../src/pipeline/policy-module.js';
import { compileOnly, runPolicies, expectCompileError, useEchoBackend } from '../helpers/policy-harness.js';

interface Echo {
  path: string;
  url: string;
  query: Record<string, string[]>;
}

const backend = useEchoBackend();

const inbound = (body: string) => `<policies><inbound>${body}</inbound></policies>`;

const compileError = (xml: string): PolicyCompileError => expectCompileError(xml);

async function query(policy: string, clientQuery = ''): Promise<Echo> {
  const r = await runPolicies({ serviceUrl: backend.url + '/svc', api: inbound(policy) }, { url: `http://gw.test/api/items${clientQuery}` });
  assert.equal(r.status, 200);
  return r.json<Echo>();
}

describe('set-query-parameter', () => {
  it('override replaces every value of an existing parameter', async () => {
    const echo = await query('<set-query-parameter name="v" exists-action="override"><value>2</value></set-query-parameter>', '?v=1&v=0&x=y');
    assert.deepEqual(echo.query, { v: ['2'], x: ['y'] });
    assert.equal(echo.path, '/svc/items');
  });

  it('override adds a missing parameter, defaulting exists-action', async () => {
    const echo = await query('<set-query-parameter name="api-key"><value>k</value></set-query-parameter>', '?x=1');
    assert.deepEqual(echo.query, { x: ['1'], 'api-key': ['k'] });
  });

  it('skip keeps an existing parameter and adds a missing one', async () => {
    const echo = await query(
      '<set-query-parameter name="a" exists-action="skip"><value>policy</value></set-query-parameter>' +
        '<set-query-parameter name="b" exists-action="skip"><value>policy</value></set-query-parameter>',
      '?a=client',
    );
    assert.deepEqual(echo.query, { a: ['client'], b: ['policy'] });
  });

  it('append adds values after the existing ones', async () => {
    const echo = await query('<set-query-parameter name="tag" exists-action="append"><value>b</value><value>c</value></set-query-parameter>', '?tag=a');
    assert.deepEqual(echo.query, { tag: ['a', 'b', 'c'] });
  });

  it('override with several values sets them all', async () => {
    const echo = await query('<set-query-parameter name="id" exists-action="override"><value>1</value><value>2</value></set-query-parameter>');
    assert.deepEqual(echo.query, { id: ['1', '2'] });
  });

  it('delete removes the parameter; names are case-sensitive', async () => {
    const echo = await query('<set-query-parameter name="subscription-key" exists-action="delete" />', '?subscription-key=abc&Subscription-Key=keep&x=1');
    assert.deepEqual(echo.query, { 'Subscription-Key': ['keep'], x: ['1'] });
  });

  it('encodes values on the wire', async () => {
    const echo = await query('<set-query-parameter name="q" exists-action="override"><value>a b&amp;c=d</value></set-query-parameter>');
    assert.deepEqual(echo.query, { q: ['a b&c=d'] });
  });

  it('works in the backend section', async () => {
    const r = await runPolicies({
      serviceUrl: backend.url,
      api: '<policies><backend><set-query-parameter name="stage" exists-action="override"><value>be</value></set-query-parameter><forward-request /></backend></policies>',
    });
    assert.deepEqual(r.json<Echo>().query, { stage: ['be'] });
  });

  it('runs the set-query-parameter snippet of the public snippet corpus', async () => {
    const path = new URL('../fixtures/corpus/policy-snippets/vscode-snippets-xml.json', import.meta.url);
    const snippets = JSON.parse(readFileSync(path, 'utf8')) as Record<string, { body: string | string[] }>;
    const body = snippets['set-query-parameter']!.body;
    const fill: Record<string, string> = { '1': 'api-key', '2': 'skip', '3': '12345678901' };
    const snippet = (Array.isArray(body) ? body.join('\n') : body).replace(/\$\{(\d+)\|[^}]*\|\}|\$(\d+)/g, (_m, a, b) => fill[a ?? b] ?? '');
    const echo = await query(snippet, '?other=1');
    assert.deepEqual(echo.query, { other: ['1'], 'api-key': ['12345678901'] });
  });

  describe('compile errors', () => {
    it('requires name', () => {
      const err = compileError(inbound('<set-query-parameter><value>x</value></set-query-parameter>'));
      assert.equal(err.element, 'set-query-parameter');
      assert.equal(err.reason, "The required attribute 'name' is missing.");
    });

    it('requires a value unless the action is delete', () => {
      for (const action of ['override', 'skip', 'append']) {
        const err = compileError(inbound(`<set-query-parameter name="a" exists-action="${action}" />`));
        assert.equal(err.reason, "The 'value' element is required unless exists-action is 'delete'.");
      }
      assert.equal(compileError(inbound('<set-query-parameter name="a" />')).element, 'set-query-parameter');
      assert.doesNotThrow(() => compileOnly(inbound('<set-query-parameter name="a" exists-action="delete" />')));
    });

    it('rejects an unknown exists-action', () => {
      const err = compileError(inbound('<set-query-parameter name="a" exists-action="remove"><value>x</value></set-query-parameter>'));
      assert.equal(err.reason, "The value 'remove' of attribute 'exists-action' is not one of: override, skip, append, delete.");
    });

    it('is not allowed in outbound or on-error', () => {
      for (const section of ['outbound', 'on-error']) {
        const err = compileError(`<policies><${section}><set-query-parameter name="a"><value>x</value></set-query-parameter></${section}></policies>`);
        assert.equal(err.element, 'set-query-parameter');
        assert.equal(err.reason, `Policy is not allowed in the '${section}' section.`);
      }
    });

    it('rejects child elements other than value', () => {
      const err = compileError(inbound('<set-query-parameter name="a"><item>x</item></set-query-parameter>'));
      assert.equal(err.reason, "The element 'item' is not allowed in 'set-query-parameter'; only 'value' is.");
    });
  });
});
