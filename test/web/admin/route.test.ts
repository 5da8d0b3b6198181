/** The console's hash routes (web/admin/route.ts): every page there and back, and what is not a page. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseRoute, routeHash, type Route } from '../../../web/admin/route.js';

describe('console routes', () => {
  it('read back every route they write, names with reserved characters included', () => {
    const routes: Route[] = [
      { page: 'dashboard' },
      { page: 'apis' },
      { page: 'api', api: 'echo-api;rev=2' },
      { page: 'policy' },
      { page: 'policy', api: 'echo api' },
      { page: 'policy', api: 'echo-api', operation: 'get/items?' },
      { page: 'version-sets' },
      { page: 'backends' },
      { page: 'network' },
    ];
    for (const route of routes) assert.deepEqual(parseRoute(routeHash(route)), route, routeHash(route));
    assert.equal(routeHash({ page: 'policy', api: 'a', operation: 'b c' }), '#/apis/a/operations/b%20c/policy');
  });

  it('open the dashboard for an empty or unknown hash, and the API list for a malformed API path', () => {
    assert.deepEqual(parseRoute(''), { page: 'dashboard' });
    assert.deepEqual(parseRoute('#/nowhere'), { page: 'dashboard' });
    assert.deepEqual(parseRoute('#/apis/%E0%A4%A/policy'), { page: 'apis' });
    assert.deepEqual(parseRoute('#/apis/a/operations/b'), { page: 'apis' });
  });
});
