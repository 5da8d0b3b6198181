import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compilePolicyDocument } from '../../src/pipeline/compile-document.js';
import { PolicyCompileError } from '../../src/pipeline/policy-module.js';
import { harnessEnvironment, runPolicies, type HarnessSetup, expectCompileError, useEchoBackend } from '../helpers/policy-harness.js';

interface Echo {
  path: string;
  url: string;
  query: Record<string, string[]>;
}

const backend = useEchoBackend();

const inbound = (body: string) => `<policies><inbound>${body}</inbound></policies>`;

const compileError = (xml: string): PolicyCompileError => expectCompileError(xml);

async function rewrite(policy: string, url: string, setup: HarnessSetup = {}): Promise<Echo> {
  const r = await runPolicies({ serviceUrl: backend.url + '/base', api: inbound(policy), ...setup }, { url });
  assert.equal(r.status, 200, r.body);
  return r.json<Echo>();
}

describe('rewrite-uri', () => {
  describe('the documented copy-unmatched-params example', () => {
    // Request /get?a=b&c=d, operation /get?a={b}.
    const setup: HarnessSetup = { operationModel: { urlTemplate: '/get?a={b}' }, matchedParameters: { b: 'b' } };

    it('keeps the unmatched c=d by default', async () => {
      const echo = await rewrite('<rewrite-uri template="/put" />', 'http://gw.test/api/get?a=b&c=d', setup);
      assert.equal(echo.url, '/base/put?c=d');
    });

    it('drops every original query parameter with copy-unmatched-params="false"', async () => {
      const echo = await rewrite('<rewrite-uri template="/put" copy-unmatched-params="false" />', 'http://gw.test/api/get?a=b&c=d', setup);
      assert.equal(echo.url, '/base/put');
    });
  });

  it('fills path placeholders from the matched template parameters and adds template query parameters', async () => {
    const echo = await rewrite(
      '<rewrite-uri template="/v2/US/hardware/{storenumber}/{ordernumber}?City=city&amp;State=state" />',
      'http://gw.test/api/12/345',
      { operationModel: { urlTemplate: '/{storenumber}/{ordernumber}' }, matchedParameters: { storenumber: '12', ordernumber: '345' } },
    );
    assert.equal(echo.url, '/base/v2/US/hardware/12/345?City=city&State=state');
  });

  it('fills placeholders of template query values', async () => {
    const echo = await rewrite('<rewrite-uri template="/orders?id={id}" />', 'http://gw.test/api/orders/77?x=1', {
      operationModel: { urlTemplate: '/orders/{id}' },
      matchedParameters: { id: '77' },
    });
    assert.equal(echo.url, '/base/orders?id=77&x=1');
  });

  it("reads a query template parameter from the caller's query when it is not among the matched parameters", async () => {
    const echo = await rewrite('<rewrite-uri template="/items/{b}" />', 'http://gw.test/api/get?a=seven&c=d', {
      operationModel: { urlTemplate: '/get?a={b}' },
    });
    assert.equal(echo.url, '/base/items/seven?c=d');
  });

  it('encodes parameter values in the path; a {*greedy} parameter keeps its slashes', async () => {
    const single = await rewrite('<rewrite-uri template="/x/{name}" />', 'http://gw.test/api/n', {
      operationModel: { urlTemplate: '/{name}' },
      matchedParameters: { name: 'a b/c?d' },
    });
    assert.equal(single.url, '/base/x/a%20b%2Fc%3Fd');
    const greedy = await rewrite('<rewrite-uri template="/files/{path}" />', 'http://gw.test/api/f/dir/sub%20file.txt', {
      operationModel: { urlTemplate: '/f/{*path}' },
      matchedParameters: { path: 'dir/sub file.txt' },
    });
    assert.equal(greedy.path, '/base/files/dir/sub%20file.txt');
  });

  it('lets a template query parameter win over the original one of the same name', async () => {
    const echo = await rewrite('<rewrite-uri template="/p?format=json" />', 'http://gw.test/api/p?format=xml&x=1');
    assert.deepEqual(echo.query, { format: ['json'], x: ['1'] });
  });

  it('drops a template query parameter whose placeholder has no value', async () => {
    const echo = await rewrite('<rewrite-uri template="/p?q={missing}&amp;fixed=1" />', 'http://gw.test/api/p', {
      operationModel: { urlTemplate: '/p' },
    });
    assert.equal(echo.url, '/base/p?fixed=1');
  });

  it('keeps parameters set by earlier policies as unmatched parameters', async () => {
    const echo = await rewrite(
      '<set-query-parameter name="added" exists-action="override"><value>1</value></set-query-parameter><rewrite-uri template="/new" />',
      'http://gw.test/api/old?keep=2',
    );
    assert.deepEqual(echo.query, { keep: ['2'], added: ['1'] });
    assert.equal(echo.path, '/base/new');
  });

  it('is relative to the backend base even when it ends with a slash', async () => {
    const r = await runPolicies(
      { serviceUrl: backend.url + '/api/10.4/', api: inbound('<rewrite-uri template="/partners/{id}" />'), matchedParameters: { id: '15' } },
      { url: 'http://gw.test/api/p/15?version=2013-05' },
    );
    assert.equal(r.json<Echo>().url, '/api/10.4/partners/15?version=2013-05');
  });

  it('is relative to a backend chosen earlier by set-backend-service', async () => {
    const r = await runPolicies(
      {
        serviceUrl: 'http://127.0.0.1:1/unused',
        api: inbound(`<set-backend-service base-url="${backend.url}/chosen" /><rewrite-uri template="/put" />`),
      },
      { url: 'http://gw.test/api/get?x=1' },
    );
    assert.equal(r.json<Echo>().url, '/chosen/put?x=1');
  });

  it('updates context.Request.Url for later policies and keeps OriginalUrl', async () => {
    const r = await runPolicies(
      { serviceUrl: backend.url + '/base', api: inbound('<rewrite-uri template="/new" />') },
      { url: 'http://gw.test/api/old' },
    );
    assert.equal(r.gw.request.url.path, '/base/new');
    assert.equal(r.gw.request.originalUrl.path, '/api/old');
  });

  describe('compile errors', () => {
    it('requires template', () => {
      const err = compileError(inbound('<rewrite-uri copy-unmatched-params="true" />'));
      assert.equal(err.element, 'rewrite-uri');
      assert.equal(err.reason, "The required attribute 'template' is missing.");
    });

    it('rejects a malformed template', () => {
      assert.equal(compileError(inbound('<rewrite-uri template="/a/{id" />')).reason, "The template '/a/{id' has an unmatched '{'.");
      assert.equal(compileError(inbound('<rewrite-uri template="/a/id}" />')).reason, "The template '/a/id}' has an unmatched '}'.");
      assert.equal(
        compileError(inbound('<rewrite-uri template="https://other.example/a" />')).reason,
        'The template must be relative to the backend service URL; use set-backend-service to change the host.',
      );
    });

    it('rejects a copy-unmatched-params that is not a boolean', () => {
      const err = compileError(inbound('<rewrite-uri template="/a" copy-unmatched-params="yes" />'));
      assert.equal(err.reason, "The value 'yes' of attribute 'copy-unmatched-params' is not a valid boolean.");
    });

    it('is allowed only in inbound', () => {
      for (const section of ['backend', 'outbound', 'on-error']) {
        const err = compileError(`<policies><${section}><rewrite-uri template="/a" /></${section}></policies>`);
        assert.equal(err.reason, `Policy is not allowed in the '${section}' section.`);
      }
    });

    it("rejects, at operation scope, placeholders that are not the operation's parameters", () => {
      const operation = { name: 'op', displayName: 'op', method: 'GET', urlTemplate: '/users/{id}?v={version}' };
      const compile = (template: string) =>
        compilePolicyDocument({ xml: inbound(`<rewrite-uri template="${template}" />`), source: 'op' }, 'operation', harnessEnvironment(), operation);
      assert.doesNotThrow(() => compile('/people/{id}?api-version={version}'));
      assert.throws(
        () => compile('/people/{id}/{extra}'),
        (err: unknown) => err instanceof PolicyCompileError && err.reason === "The template parameter 'extra' is not defined in the operation's URL template.",
      );
    });
  });
});
