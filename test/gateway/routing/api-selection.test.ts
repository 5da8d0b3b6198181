// Which API answers a request: longest whole-segment path prefix, case and encoding, protocols
// (reference §1.2). Table-driven: request → API/operation/parameters/remaining path, or a miss.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RouteTable } from '../../../src/gateway/routing/index.js';
import { api, check, op, request, type Row } from './routing-fixtures.js';

const withRoot = RouteTable.build(
  [
    api('root', '', [op('GET /*', 'root-any')]),
    api('echo', 'echo', [op('GET /resource', 'get'), op('POST /resource', 'post'), op('GET /', 'home')]),
    api('echoes', '/echoes/', [op('GET /resource', 'get')]),
    api('shop', 'shop', [op('GET /cart', 'cart'), op('GET /orders/{id}/lines', 'lines')]),
    api('orders', 'shop/orders', [op('GET /{id}', 'order')]),
    api('deep', 'a/b/c', [op('GET /d', 'd')]),
    api('insecure', 'insecure', [op('GET /x', 'x')], { protocols: ['http'] }),
    api('both', 'both', [op('GET /x', 'x')], { protocols: ['http', 'https'] }),
  ],
  [],
);

const withRootRows: Row[] = [
  { req: 'GET /echo/resource', expect: { api: 'echo', op: 'get', params: {}, remaining: '/resource', prefix: '/echo' } },
  { req: 'GET /ECHO/Resource', expect: { api: 'echo', op: 'get', remaining: '/Resource' }, note: 'paths compare case-insensitively' },
  { req: 'GET /%65cho/resource', expect: { api: 'echo', op: 'get' }, note: 'percent-decoded before comparing' },
  { req: 'GET /echoes/resource', expect: { api: 'echoes', op: 'get', prefix: '/echoes' }, note: 'whole segments only' },
  { req: 'GET /echo', expect: { api: 'echo', op: 'home', remaining: '' } },
  { req: 'GET /echo/', expect: { api: 'echo', op: 'home', remaining: '/' } },
  { req: 'POST /echo/resource', expect: { api: 'echo', op: 'post' } },
  { req: 'post /echo/resource', expect: { api: 'echo', op: 'post' }, note: 'method is case-insensitive' },
  { req: 'DELETE /echo/resource', expect: { miss: 'operation-not-found' }, note: 'wrong method is 404, not 405' },
  { req: 'GET /echo/nothing', expect: { miss: 'operation-not-found' }, note: 'the selected API decides; no fallback to root' },
  { req: 'GET /shop/orders/15', expect: { api: 'orders', op: 'order', params: { id: '15' }, remaining: '/15', prefix: '/shop/orders' } },
  { req: 'GET /shop/cart', expect: { api: 'shop', op: 'cart', remaining: '/cart' } },
  { req: 'GET /shop/orders/15/lines', expect: { miss: 'operation-not-found' }, note: 'longest prefix wins even when a shorter one has the operation' },
  { req: 'GET /a/b/c/d', expect: { api: 'deep', op: 'd', remaining: '/d', prefix: '/a/b/c' } },
  { req: 'GET /a/b/d', expect: { api: 'root', op: 'root-any', params: { '*': 'a/b/d' }, remaining: '/a/b/d' } },
  { req: 'GET /other/thing', expect: { api: 'root', op: 'root-any', params: { '*': 'other/thing' }, remaining: '/other/thing', prefix: '' } },
  { req: 'GET /', expect: { api: 'root', op: 'root-any', params: { '*': '' }, remaining: '/' } },
  { req: request('GET /insecure/x', { scheme: 'http' }), expect: { api: 'insecure', op: 'x' } },
  { req: request('GET /insecure/x', { scheme: 'https' }), expect: { miss: 'protocol-not-allowed' }, note: 'scheme not in protocols' },
  { req: request('GET /both/x', { scheme: 'http' }), expect: { api: 'both', op: 'x' } },
  { req: request('GET /both/x', { scheme: 'https' }), expect: { api: 'both', op: 'x' } },
  { req: request('GET /echo/resource', { scheme: 'http' }), expect: { miss: 'protocol-not-allowed' } },
];

const noRoot = RouteTable.build([api('echo', 'echo', [op('GET /resource', 'get')])], []);
const noRootRows: Row[] = [
  { req: 'GET /nothing/here', expect: { miss: 'api-not-found' } },
  { req: 'GET /', expect: { miss: 'api-not-found' } },
  { req: 'GET /echoresource', expect: { miss: 'api-not-found' } },
];

describe('API selection', () => {
  for (const row of withRootRows) {
    it(`${typeof row.req === 'string' ? row.req : `${row.req.scheme} ${row.req.method} ${row.req.path}`}${row.note ? ` — ${row.note}` : ''}`, () => {
      check(withRoot, row);
    });
  }
  for (const row of noRootRows) {
    it(`without a root API: ${row.req as string}`, () => {
      check(noRoot, row);
    });
  }

  it('reports the selected API on a miss after selection, and none before', () => {
    const afterSelection = withRoot.match(request('DELETE /echo/resource'));
    assert.equal(afterSelection.matched, false);
    assert.equal(!afterSelection.matched && afterSelection.api?.name, 'echo');
    const before = noRoot.match(request('GET /nothing'));
    assert.equal(!before.matched && before.api, undefined);
  });

  it('is immutable and answers the same request the same way every time', () => {
    assert.ok(Object.isFrozen(withRoot));
    const first = withRoot.match(request('GET /shop/orders/7'));
    assert.ok(first.matched);
    first.matchedParameters.id = 'tampered';
    const second = withRoot.match(request('GET /shop/orders/7'));
    assert.ok(second.matched);
    assert.deepEqual(second.matchedParameters, { id: '7' });
    assert.equal(withRoot.size, 8);
  });
});
