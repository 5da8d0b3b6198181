/**
 * cache-lookup and cache-store through the real compiler and executor, against a real counting
 * backend: what is stored, what a hit answers, what varies the key, and the Cache-Control sent
 * downstream. The e2e file (test/e2e/caching-policies.test.ts) runs the same through a process.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Product, User } from '../../src/model/resources.js';
import { MemoryCacheStore, builtInCachesOnly } from '../../src/store/memory-cache-store.js';
import { startCountingBackend, type CountingBackend } from '../helpers/counting-backend.js';
import { expectCompileError, manualClock, runPolicies, type HarnessRequest, type HarnessSetup } from '../helpers/policy-harness.js';

let backend: CountingBackend;
before(async () => {
  backend = await startCountingBackend('fresh');
});
after(async () => {
  await backend.close();
});

const doc = (lookup: string, store = '<cache-store duration="60" />') =>
  `<policies><inbound>${lookup}</inbound><backend><forward-request /></backend><outbound>${store}</outbound></policies>`;
const plainLookup = '<cache-lookup vary-by-developer="false" vary-by-developer-groups="false" />';

/** A gateway whose calls share one built-in cache and one settable clock. */
function cachingGateway(api: string, base: Partial<HarnessSetup> = {}) {
  const clock = manualClock(Date.now());
  const internal = new MemoryCacheStore(1 << 20, clock);
  const caches = builtInCachesOnly(internal);
  const call = async (request: HarnessRequest = {}, setup: Partial<HarnessSetup> = {}) => {
    const before = backend.calls;
    const result = await runPolicies({ serviceUrl: backend.url, api, caches, clock, ...base, ...setup }, { url: 'http://gw.test/api/items', ...request });
    return { ...result, reachedBackend: backend.calls > before };
  };
  return { call, clock, internal };
}

describe('cache-lookup and cache-store', () => {
  it('stores a 200 answer to a GET and answers the next GET from the cache, headers and body', async () => {
    backend.headers = { 'x-origin': 'backend' };
    const { call } = cachingGateway(doc(plainLookup));
    const first = await call();
    assert.equal(first.reachedBackend, true);
    const second = await call();
    assert.equal(second.reachedBackend, false);
    assert.equal(second.status, 200);
    assert.equal(second.body, 'fresh');
    assert.equal(second.headers.get('x-origin'), 'backend');
    assert.equal(second.headers.get('content-type'), 'text/plain');
    backend.headers = {};
  });

  it('a hit cancels the rest of the pipeline: later inbound policies and outbound do not run', async () => {
    const { call } = cachingGateway(
      `<policies><inbound>${plainLookup}<set-header name="x-inbound-after" exists-action="override"><value>ran</value></set-header></inbound>` +
        `<backend><forward-request /></backend><outbound><cache-store duration="60" /><set-header name="x-outbound" exists-action="override"><value>ran</value></set-header></outbound></policies>`,
    );
    const miss = await call();
    assert.equal(miss.headers.get('x-outbound'), 'ran');
    const hit = await call();
    assert.equal(hit.reachedBackend, false);
    assert.equal(hit.headers.get('x-outbound'), undefined);
    assert.equal(hit.gw.request.headers.get('x-inbound-after'), undefined);
  });

  it('only GET is looked up and stored', async () => {
    const { call } = cachingGateway(doc(plainLookup));
    await call({ method: 'POST', body: 'x' });
    assert.equal((await call({ method: 'POST', body: 'x' })).reachedBackend, true);
    assert.equal((await call()).reachedBackend, true);
  });

  it('stores only 200 OK unless cache-response is true', async () => {
    backend.status = 404;
    try {
      const plain = cachingGateway(doc(plainLookup));
      await plain.call();
      assert.equal((await plain.call()).reachedBackend, true);
      const forced = cachingGateway(doc(plainLookup, '<cache-store duration="60" cache-response="true" />'));
      await forced.call();
      const hit = await forced.call();
      assert.equal(hit.reachedBackend, false);
      assert.equal(hit.status, 404);
    } finally {
      backend.status = 200;
    }
  });

  it('the entry lives `duration` seconds on the gateway clock', async () => {
    const { call, clock } = cachingGateway(doc(plainLookup, '<cache-store duration="@(10 + 20)" />'));
    await call();
    clock.advance(29_999);
    assert.equal((await call()).reachedBackend, false);
    clock.advance(1);
    assert.equal((await call()).reachedBackend, true);
  });

  it('without cache-lookup, or after a request with Authorization, cache-store keeps nothing', async () => {
    const storeOnly = cachingGateway('<policies><inbound /><backend><forward-request /></backend><outbound><cache-store duration="60" /></outbound></policies>');
    await storeOnly.call();
    assert.equal(storeOnly.internal.size, 0);
    const { call, internal } = cachingGateway(doc(plainLookup));
    await call({ headers: { authorization: 'Bearer a' } });
    assert.equal(internal.size, 0);
    const allowed = cachingGateway(doc('<cache-lookup vary-by-developer="false" vary-by-developer-groups="false" allow-private-response-caching="true"><vary-by-header>Authorization</vary-by-header></cache-lookup>'));
    await allowed.call({ headers: { authorization: 'Bearer a' } });
    assert.equal((await allowed.call({ headers: { authorization: 'Bearer a' } })).reachedBackend, false);
    assert.equal((await allowed.call({ headers: { authorization: 'Bearer b' } })).reachedBackend, true);
  });

  it('the path is always in the key; query parameters only when named by vary-by-query-parameter', async () => {
    const { call } = cachingGateway(doc('<cache-lookup vary-by-developer="false" vary-by-developer-groups="false"><vary-by-query-parameter>version;format</vary-by-query-parameter></cache-lookup>'));
    await call({ url: 'http://gw.test/api/items/1?version=1&format=a&other=1' });
    // Another value of an unnamed parameter, the named ones in another order: the same entry.
    assert.equal((await call({ url: 'http://gw.test/api/items/1?format=a&other=2&version=1' })).reachedBackend, false);
    assert.equal((await call({ url: 'http://gw.test/api/items/1?version=2&format=a' })).reachedBackend, true);
    assert.equal((await call({ url: 'http://gw.test/api/items/2?version=1&format=a' })).reachedBackend, true);
  });

  it('vary-by-header splits the cache by the header value', async () => {
    const { call } = cachingGateway(doc('<cache-lookup vary-by-developer="false" vary-by-developer-groups="false"><vary-by-header>Accept</vary-by-header></cache-lookup>'));
    await call({ headers: { accept: 'application/json' } });
    assert.equal((await call({ headers: { accept: 'application/json' } })).reachedBackend, false);
    assert.equal((await call({ headers: { accept: 'text/xml' } })).reachedBackend, true);
    assert.equal((await call()).reachedBackend, true);
  });

  const alice: User = { name: 'alice', groups: ['developers', 'gold'] };
  const bob: User = { name: 'bob', groups: ['gold', 'developers'] };
  const carol: User = { name: 'carol', groups: ['developers'] };

  it('vary-by-developer keeps one entry per developer; without it developers of a product share', async () => {
    const perDeveloper = cachingGateway(doc('<cache-lookup vary-by-developer="true" vary-by-developer-groups="false" />'));
    await perDeveloper.call({}, { user: alice });
    assert.equal((await perDeveloper.call({}, { user: alice })).reachedBackend, false);
    assert.equal((await perDeveloper.call({}, { user: bob })).reachedBackend, true);
    const shared = cachingGateway(doc(plainLookup));
    await shared.call({}, { user: alice });
    assert.equal((await shared.call({}, { user: bob })).reachedBackend, false);
  });

  it('vary-by-developer-groups keeps one entry per set of groups', async () => {
    const { call } = cachingGateway(doc('<cache-lookup vary-by-developer="false" vary-by-developer-groups="true" />'));
    await call({}, { user: alice });
    assert.equal((await call({}, { user: bob })).reachedBackend, false);
    assert.equal((await call({}, { user: carol })).reachedBackend, true);
  });

  it('a product never reads the entry stored for another product', async () => {
    const product = (name: string): Product => ({ name, displayName: name, subscriptionRequired: true, approvalRequired: false, state: 'published', apis: ['test-api'], groups: [] }) as unknown as Product;
    const { call } = cachingGateway(doc(plainLookup));
    await call({}, { productModel: product('gold') });
    assert.equal((await call({}, { productModel: product('gold') })).reachedBackend, false);
    assert.equal((await call({}, { productModel: product('silver') })).reachedBackend, true);
    assert.equal((await call()).reachedBackend, true);
  });

  it('downstream-caching-type writes Cache-Control on cached answers: max-age counts down, must-revalidate as set', async () => {
    const pub = cachingGateway(doc('<cache-lookup vary-by-developer="false" vary-by-developer-groups="false" downstream-caching-type="public" />', '<cache-store duration="100" />'));
    assert.equal((await pub.call()).headers.get('cache-control'), 'public, max-age=100, must-revalidate');
    pub.clock.advance(40_000);
    assert.equal((await pub.call()).headers.get('cache-control'), 'public, max-age=60, must-revalidate');
    const priv = cachingGateway(doc('<cache-lookup vary-by-developer="false" vary-by-developer-groups="false" downstream-caching-type="private" must-revalidate="false" />'));
    assert.equal((await priv.call()).headers.get('cache-control'), 'private, max-age=60');
    const none = cachingGateway(doc(plainLookup));
    await none.call();
    assert.equal((await none.call()).headers.get('cache-control'), 'no-store');
    // A response that was not cached keeps what the backend said.
    backend.headers = { 'cache-control': 'max-age=5' };
    try {
      const post = await none.call({ method: 'POST', body: '' });
      assert.equal(post.headers.get('cache-control'), 'max-age=5');
    } finally {
      backend.headers = {};
    }
  });

  it('caching-type="external" with no external cache configured misses and stores nothing', async () => {
    const { call, internal } = cachingGateway(doc('<cache-lookup vary-by-developer="false" vary-by-developer-groups="false" caching-type="external" />'));
    await call();
    assert.equal((await call()).reachedBackend, true);
    assert.equal(internal.size, 0);
  });

  it('refuses what Azure refuses when the document is saved', () => {
    const errors = [
      ['<cache-lookup vary-by-developer-groups="false" />', 'inbound', /vary-by-developer/],
      ['<cache-lookup vary-by-developer="false" vary-by-developer-groups="false" caching-type="@(&quot;internal&quot;)" />', 'inbound', /caching-type/],
      ['<cache-lookup vary-by-developer="false" vary-by-developer-groups="false" downstream-caching-type="shared" />', 'inbound', /downstream-caching-type/],
      ['<cache-lookup vary-by-developer="false" vary-by-developer-groups="false"><vary-by-cookie>a</vary-by-cookie></cache-lookup>', 'inbound', /vary-by-cookie/],
      ['<cache-lookup vary-by-developer="false" vary-by-developer-groups="false"><vary-by-header /></cache-lookup>', 'inbound', /must name a header/],
      [`${plainLookup}${plainLookup}`, 'inbound', /cache-lookup/],
      ['<cache-store />', 'outbound', /duration/],
      ['<cache-store duration="-1" />', 'outbound', /duration/],
      ['<cache-store duration="60" /><cache-store duration="60" />', 'outbound', /cache-store/],
    ] as const;
    for (const [policy, section, reason] of errors) {
      const err = expectCompileError(`<policies><${section}>${policy}</${section}></policies>`);
      assert.match(err.message, reason, policy);
    }
    // Placed in a section it is not allowed in.
    assert.match(expectCompileError(`<policies><outbound>${plainLookup}</outbound></policies>`).message, /cache-lookup/);
    assert.match(expectCompileError('<policies><inbound><cache-store duration="1" /></inbound></policies>').message, /cache-store/);
  });
});
