/**
 * The backend URL (reference §1.3): serviceUrl + the operation-relative rest of the path + the
 * client's query, exactly one slash at the join, and the backend path checked for dot segments
 * relative to the backend's base path.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildBackendUrl, resolveBackendPath } from '../../src/gateway/backend-url.js';
import { joinBackendPath } from '../../src/pipeline/backend-path.js';
import { RequestUrl } from '../../src/pipeline/request-url.js';

const client = RequestUrl.parse('http://gw.test:8080/orders/items/7?x=1&y=a%20b');

describe('backend URL', () => {
  it('joins the base path and the rest with exactly one slash', () => {
    assert.equal(joinBackendPath('/api', '/items'), '/api/items');
    assert.equal(joinBackendPath('/api/', '/items'), '/api/items');
    assert.equal(joinBackendPath('/api', 'items'), '/api/items');
    assert.equal(joinBackendPath('/api/', 'items'), '/api/items');
    assert.equal(joinBackendPath('', '/items'), '/items');
    assert.equal(joinBackendPath('/', '/items'), '/items');
    assert.equal(joinBackendPath('/api', ''), '/api');
    assert.equal(joinBackendPath('/api/', ''), '/api/');
    assert.equal(joinBackendPath('', ''), '/');
    assert.equal(joinBackendPath('/api', '/'), '/api/');
    assert.equal(joinBackendPath('/api', '/a//b/'), '/api/a//b/');
  });

  it("builds the URL from the serviceUrl, the rest of the path and the client's query", () => {
    const { url, base } = buildBackendUrl('https://backend.test:9443/v2', '/items/7', 'x=1&y=a%20b', client);
    assert.equal(url.toString(), 'https://backend.test:9443/v2/items/7?x=1&y=a%20b');
    assert.equal(base?.toString(), 'https://backend.test:9443/v2');
    const again = buildBackendUrl('https://backend.test:9443/v2', '', '', client);
    assert.equal(again.url.toString(), 'https://backend.test:9443/v2');
    assert.notEqual(again.base, base, 'each request gets its own objects');
  });

  it('without a serviceUrl the URL is the client URL with the query, and there is no base', () => {
    const { url, base } = buildBackendUrl(undefined, '/items/7', 'z=2', client);
    assert.equal(base, null);
    assert.equal(url.host, 'gw.test');
    assert.equal(url.path, '/orders/items/7');
    assert.equal(url.toString(), 'http://gw.test:8080/orders/items/7?z=2');
    assert.notEqual(url, client, 'the client URL is not shared');
  });

  it('refuses an invalid serviceUrl every time', () => {
    assert.throws(() => buildBackendUrl('not a url', '', '', client));
    assert.throws(() => buildBackendUrl('not a url', '', '', client));
  });

  it('resolves dot segments of the backend path, refusing a climb above the base path', () => {
    assert.deepEqual(resolveBackendPath('/public/a/../b', '/public'), { ok: true, path: '/public/b', lowestDepth: 1 });
    assert.deepEqual(resolveBackendPath('/public/b', '/public'), { ok: true, path: '/public/b', lowestDepth: Infinity });
    const climb = resolveBackendPath('/public/../secret.txt', '/public');
    assert.equal(climb.ok, false);
    assert.match((climb as { reason: string }).reason, /climb above the backend's base path/);
    assert.equal(resolveBackendPath('/public/../secret.txt', '/public/').ok, false);
    assert.deepEqual(resolveBackendPath('/a/../b', ''), { ok: true, path: '/b', lowestDepth: 0 });
    assert.deepEqual(resolveBackendPath('/a/../b', '/'), { ok: true, path: '/b', lowestDepth: 0 });
    assert.deepEqual(resolveBackendPath('/a/../b', undefined), { ok: true, path: '/b', lowestDepth: 0 });
    assert.equal(resolveBackendPath('/../b', '').ok, false, 'above the root');
    // A path that left the base (a policy chose another one) is checked against the root only.
    assert.deepEqual(resolveBackendPath('/other/x/../y', '/public'), { ok: true, path: '/other/y', lowestDepth: 1 });
    assert.deepEqual(resolveBackendPath('/publicity/../y', '/public'), { ok: true, path: '/y', lowestDepth: 0 });
    assert.equal(resolveBackendPath('/public/a/../../x', '/public').ok, false);
    assert.equal(resolveBackendPath('/public/..%2Fsecret', '/public').ok, false, 'a hidden dot segment');
  });
});
