import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startEchoBackend, type EchoBackend } from '../../src/main/sample/echo-backend.js';
import type { Backend } from '../../src/model/resources.js';
import { PolicyCompileError } from '../../src/pipeline/policy-module.js';
import { pickBackend } from '../../src/policies/set-backend-service.js';
import { runPolicies, expectCompileError } from '../helpers/policy-harness.js';

interface Echo {
  path: string;
  url: string;
  query: Record<string, string[]>;
  headers: Record<string, string | undefined>;
}

// Two real backends, so a test can tell which one answered.
let first: EchoBackend;
let second: EchoBackend;
before(async () => {
  first = await startEchoBackend();
  second = await startEchoBackend();
});
after(async () => {
  await first.close();
  await second.close();
});

const unreachable = 'http://127.0.0.1:1';
const inbound = (body: string) => `<policies><inbound>${body}</inbound></policies>`;

const compileError = (xml: string, backends: Backend[] = []): PolicyCompileError => expectCompileError(xml, 'api', { backends });

/** Which echo backend answered (by the Host header it saw). */
function answeredBy(echo: Echo): string {
  return `http://${echo.headers.host}`;
}

describe('set-backend-service', () => {
  it('base-url sends the request to another host, keeping the operation-relative path and query', async () => {
    const r = await runPolicies(
      { serviceUrl: unreachable + '/old', api: inbound(`<set-backend-service base-url="${first.url}/new/" />`) },
      { url: 'http://gw.test/api/items/1?x=1&x=2' },
    );
    assert.equal(r.status, 200, r.body);
    const echo = r.json<Echo>();
    assert.equal(answeredBy(echo), first.url);
    assert.equal(echo.path, '/new/items/1');
    assert.deepEqual(echo.query, { x: ['1', '2'] });
    assert.equal(r.gw.backendBase?.toString(), `${first.url}/new/`);
    assert.equal(r.gw.backendId, undefined);
  });

  it('works for an API without serviceUrl', async () => {
    const r = await runPolicies({ api: inbound(`<set-backend-service base-url="${first.url}/svc" />`) }, { url: 'http://gw.test/api/orders/9' });
    assert.equal(r.json<Echo>().path, '/svc/orders/9');
  });

  it('works in the backend section', async () => {
    const r = await runPolicies(
      {
        serviceUrl: unreachable,
        api: `<policies><backend><set-backend-service base-url="${second.url}" /><forward-request /></backend></policies>`,
      },
      { url: 'http://gw.test/api/b' },
    );
    assert.equal(answeredBy(r.json<Echo>()), second.url);
  });

  it('the last set-backend-service wins', async () => {
    const r = await runPolicies(
      { serviceUrl: unreachable, api: inbound(`<set-backend-service base-url="${first.url}/a" /><set-backend-service base-url="${second.url}/b" />`) },
      { url: 'http://gw.test/api/p' },
    );
    const echo = r.json<Echo>();
    assert.equal(answeredBy(echo), second.url);
    assert.equal(echo.path, '/b/p');
  });

  it('backend-id routes to the Backend resource and applies its credentials', async () => {
    const backends: Backend[] = [
      {
        name: 'orders',
        url: `${first.url}/orders-svc`,
        credentials: {
          header: { 'x-functions-key': ['fk1'], 'x-multi': ['m1', 'm2'] },
          query: { code: ['c1'] },
          authorization: { scheme: 'Basic', parameter: 'dXNlcjpwYXNz' },
        },
      },
    ];
    const r = await runPolicies(
      { serviceUrl: unreachable, backends, api: inbound('<set-backend-service backend-id="orders" />') },
      { url: 'http://gw.test/api/list?page=2', headers: { authorization: 'Bearer from-client' } },
    );
    assert.equal(r.status, 200, r.body);
    const echo = r.json<Echo>();
    assert.equal(answeredBy(echo), first.url);
    assert.equal(echo.path, '/orders-svc/list');
    assert.deepEqual(echo.query, { page: ['2'], code: ['c1'] });
    assert.equal(echo.headers['x-functions-key'], 'fk1');
    assert.deepEqual(r.gw.request.headers.getAll('x-multi'), ['m1', 'm2']);
    assert.equal(echo.headers.authorization, 'Basic dXNlcjpwYXNz');
    assert.equal(r.gw.backendId, 'orders');
  });

  it('backend-id accepts a pool and routes to its highest-priority member', async () => {
    const backends: Backend[] = [
      { name: 'primary', url: `${second.url}/primary` },
      { name: 'standby', url: unreachable },
      {
        name: 'pool',
        type: 'Pool',
        pool: { services: [{ id: '/backends/standby', priority: 2 }, { id: '/backends/primary', priority: 1 }] },
      },
    ];
    const r = await runPolicies({ serviceUrl: unreachable, backends, api: inbound('<set-backend-service backend-id="pool" />') }, { url: 'http://gw.test/api/x' });
    const echo = r.json<Echo>();
    assert.equal(answeredBy(echo), second.url);
    assert.equal(echo.path, '/primary/x');
  });

  it('splits a pool priority group by weight', () => {
    const backends = new Map<string, Backend>([
      ['a', { name: 'a', url: 'http://a.test' }],
      ['b', { name: 'b', url: 'http://b.test' }],
      ['p', { name: 'p', type: 'Pool', pool: { services: [{ id: 'a', weight: 1 }, { id: 'b', weight: 3 }] } }],
    ]);
    assert.equal(pickBackend(backends, 'p', () => 0.1)?.name, 'a');
    assert.equal(pickBackend(backends, 'p', () => 0.3)?.name, 'b');
    assert.equal(pickBackend(backends, 'p', () => 0.99)?.name, 'b');
    assert.equal(pickBackend(backends, 'missing'), undefined);
  });

  it('skips pool members that are not available, failing over to the next priority group', () => {
    const backends = new Map<string, Backend>([
      ['a', { name: 'a', url: 'http://a.test' }],
      ['b', { name: 'b', url: 'http://b.test' }],
      ['c', { name: 'c', url: 'http://c.test' }],
      ['p', { name: 'p', type: 'Pool', pool: { services: [{ id: 'a', priority: 1, weight: 1 }, { id: 'b', priority: 1, weight: 1 }, { id: 'c', priority: 2 }] } }],
    ]);
    const without = (...names: string[]) => (b: Backend) => !names.includes(b.name);
    // With a open, b takes all of group 1's traffic whatever the draw.
    assert.equal(pickBackend(backends, 'p', () => 0.1, without('a'))?.name, 'b');
    assert.equal(pickBackend(backends, 'p', () => 0.9, without('b'))?.name, 'a');
    assert.equal(pickBackend(backends, 'p', () => 0.1, without('a', 'b'))?.name, 'c');
    // None available: group 1 is picked as usual, and forward-request answers its open breaker.
    assert.equal(pickBackend(backends, 'p', () => 0.9, without('a', 'b', 'c'))?.name, 'b');
    // A Single backend is returned whether or not it is available.
    assert.equal(pickBackend(backends, 'a', () => 0.1, without('a'))?.name, 'a');
  });

  it('an inherited backend-id is not overridden by base-url, but is by backend-id', async () => {
    const backends: Backend[] = [
      { name: 'one', url: `${first.url}/one` },
      { name: 'two', url: `${second.url}/two` },
    ];
    const api = inbound('<set-backend-service backend-id="one" />');
    const byUrl = await runPolicies(
      { serviceUrl: unreachable, backends, api, operation: inbound(`<base /><set-backend-service base-url="${second.url}/url" />`) },
      { url: 'http://gw.test/api/r' },
    );
    assert.equal(byUrl.json<Echo>().path, '/one/r');
    assert.equal(byUrl.gw.backendId, 'one');

    const byId = await runPolicies(
      { serviceUrl: unreachable, backends, api, operation: inbound('<base /><set-backend-service backend-id="two" />') },
      { url: 'http://gw.test/api/r' },
    );
    assert.equal(byId.json<Echo>().path, '/two/r');

    // In the same scope, base-url after backend-id does apply.
    const sameScope = await runPolicies(
      { serviceUrl: unreachable, backends, api: inbound(`<set-backend-service backend-id="one" /><set-backend-service base-url="${second.url}/url" />`) },
      { url: 'http://gw.test/api/r' },
    );
    assert.equal(sameScope.json<Echo>().path, '/url/r');
  });

  it('runs the corpus random load balancer pattern with named values for the URLs', async () => {
    const path = new URL('../fixtures/corpus/policy-snippets/Random load balancer.policy.xml', import.meta.url);
    const xml = readFileSync(path, 'utf8');
    // The document chooses with expressions; take its set-backend-service elements as they are.
    const elements = [...xml.matchAll(/<set-backend-service [^>]*\/>/g)].map((m) => m[0]);
    assert.equal(elements.length, 2);
    const r = await runPolicies(
      { serviceUrl: unreachable, namedValues: { 'backend-url-1': `${first.url}/one`, 'backend-url-2': `${second.url}/two` }, api: inbound(elements[1]!) },
      { url: 'http://gw.test/api/lb' },
    );
    assert.equal(r.json<Echo>().path, '/two/lb');
  });

  describe('compile errors', () => {
    it('rejects an unknown literal backend-id with the Azure save-time message', () => {
      const err = compileError(inbound('\n  <set-backend-service backend-id="nope" />'));
      assert.equal(err.element, 'set-backend-service');
      assert.equal(err.line, 2);
      assert.equal(err.reason, "Backend with id 'nope' could not be found.");
      assert.match(err.message, /^Error in element 'set-backend-service' on line 2, column \d+: Backend with id 'nope' could not be found\.$/);
    });

    it('requires exactly one of base-url and backend-id', () => {
      assert.equal(compileError(inbound('<set-backend-service />')).reason, "Either the 'base-url' or the 'backend-id' attribute must be specified.");
      assert.equal(
        compileError(inbound('<set-backend-service base-url="http://a.test" backend-id="b" />'), [{ name: 'b', url: 'http://b.test' }]).reason,
        "Only one of the 'base-url' and 'backend-id' attributes may be specified.",
      );
    });

    it('rejects a base-url that is not an absolute http(s) URL', () => {
      assert.equal(compileError(inbound('<set-backend-service base-url="/relative" />')).reason, "The value '/relative' is not a valid absolute URL.");
      assert.equal(compileError(inbound('<set-backend-service base-url="ftp://files.test" />')).reason, "The URL 'ftp://files.test' must use http or https.");
    });

    it('rejects a Backend without URL', () => {
      assert.equal(compileError(inbound('<set-backend-service backend-id="b" />'), [{ name: 'b' }]).reason, "Backend with id 'b' has no URL.");
    });

    it('is allowed only in inbound and backend', () => {
      for (const section of ['outbound', 'on-error']) {
        const err = compileError(`<policies><${section}><set-backend-service base-url="http://a.test" /></${section}></policies>`);
        assert.equal(err.reason, `Policy is not allowed in the '${section}' section.`);
      }
    });

    it('rejects Service Fabric attributes, which Gatehouse does not support', () => {
      const err = compileError(inbound('<set-backend-service base-url="http://a.test" sf-partition-key="1" />'));
      assert.equal(err.reason, "The 'sf-partition-key' attribute is not declared.");
    });
  });
});
