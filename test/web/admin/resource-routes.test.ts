/** The resource pages' hash routes (web/admin/resource-routes.ts), as route.ts reads and writes them. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseRoute, routeHash } from '../../../web/admin/route.js';

describe('resource page routes', () => {
  it('reads the list pages and one resource\'s page, and writes them back', () => {
    assert.deepEqual(parseRoute('#/products'), { page: 'products' });
    assert.deepEqual(parseRoute('#/products/gold'), { page: 'products', name: 'gold' });
    assert.deepEqual(parseRoute('#/users/ada%20l'), { page: 'users', name: 'ada l' });
    assert.deepEqual(parseRoute('#/groups/partners'), { page: 'groups', name: 'partners' });
    assert.deepEqual(parseRoute('#/named-values/db-password'), { page: 'named-values', name: 'db-password' });
    assert.deepEqual(parseRoute('#/subscriptions'), { page: 'subscriptions' });
    for (const hash of ['#/products', '#/products/gold', '#/users/ada%20l', '#/named-values/a%2Fb', '#/subscriptions']) {
      assert.equal(routeHash(parseRoute(hash)), hash);
    }
  });

  it('falls back to the list for what it cannot read: bad escapes, extra segments, subscriptions by name', () => {
    assert.deepEqual(parseRoute('#/products/%E0%A4%A'), { page: 'products' });
    assert.deepEqual(parseRoute('#/users/ada/extra'), { page: 'users' });
    assert.deepEqual(parseRoute('#/subscriptions/sample'), { page: 'subscriptions' });
    // Names inherited from Object.prototype are not pages.
    assert.deepEqual(parseRoute('#/constructor'), { page: 'apis' });
    assert.deepEqual(parseRoute('#/__proto__/x'), { page: 'apis' });
    // The older pages are unchanged.
    assert.deepEqual(parseRoute('#/network'), { page: 'network' });
    assert.deepEqual(parseRoute('#/apis/echo-api/policy'), { page: 'policy', api: 'echo-api' });
  });
});
