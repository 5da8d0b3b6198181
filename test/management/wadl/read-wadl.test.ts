import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { readWadl } from '../../../src/management/wadl/read-wadl.js';

const orders = readFileSync(new URL('../../fixtures/soap/orders.wadl', import.meta.url), 'utf8');

describe('WADL import', () => {
  it('turns every method of every nested resource into an operation', () => {
    const api = readWadl(orders, false);
    assert.equal(api.displayName, 'Orders');
    assert.equal(api.description, 'Orders of the example shop.');
    assert.equal(api.serviceUrl, 'http://orders.example.org/api');
    assert.deepEqual(
      api.operations.map((o) => [o.name, o.method, o.urlTemplate, o.displayName]),
      [
        ['listorders', 'GET', '/orders', 'List orders'],
        ['createorder', 'POST', '/orders', 'createOrder'],
        ['getorder', 'GET', '/orders/{orderId}', 'getOrder'],
        // Without an id: the name from method and template, the display name `METHOD template`.
        ['delete-orders-orderid-lines-line', 'DELETE', '/orders/{orderId}/lines/{line}', 'DELETE /orders/{orderId}/lines/{line}'],
      ],
    );
  });

  it('keeps template, query and header parameters, representations and responses', () => {
    const [list, create, get, remove] = readWadl(orders, false).operations;
    assert.equal(list!.description, 'Lists the orders.');
    assert.deepEqual(list!.request?.queryParameters, [
      { name: 'status', required: false, type: 'string', defaultValue: 'open', values: ['open', 'closed'] },
      { name: 'shop', required: true, type: 'string' },
    ]);
    assert.deepEqual(list!.request?.headers, [{ name: 'X-Trace', required: false, type: 'string' }]);
    assert.deepEqual(list!.responses, [{ statusCode: 200, representations: [{ contentType: 'application/xml', typeName: 'orders' }] }]);
    assert.deepEqual(create!.request?.representations, [{ contentType: 'application/xml', typeName: 'order' }]);
    assert.deepEqual(get!.templateParameters, [{ name: 'orderId', required: true, type: 'int' }]);
    assert.deepEqual(get!.responses?.map((r) => r.statusCode), [200, 203, 404]);
    // A nested resource inherits its parents' template parameters; an undeclared one is a required string.
    assert.deepEqual(remove!.templateParameters, [{ name: 'orderId', required: true, type: 'int' }, { name: 'line', type: 'string', required: true }]);
  });

  it('puts required query parameters into the template when asked (translateRequiredQueryParameters: template)', () => {
    const list = readWadl(orders, true).operations[0]!;
    assert.equal(list.urlTemplate, '/orders?shop={shop}');
    assert.deepEqual(list.templateParameters, [{ name: 'shop', required: true, type: 'string' }]);
    assert.deepEqual(list.request?.queryParameters?.map((p) => p.name), ['status']);
  });

  it('refuses what it cannot import, naming the reason', () => {
    const wrap = (body: string): string => `<application xmlns="http://wadl.dev.java.net/2009/02"><resources base="http://x/">${body}</resources></application>`;
    assert.throws(() => readWadl('<application/>', false), /not a WADL document/);
    assert.throws(() => readWadl(wrap('<resource path="a"><method href="other.wadl#m"/></resource>'), false), /points outside the document/);
    assert.throws(() => readWadl(wrap('<resource path="a"><method href="#gone"/></resource>'), false), /names no method/);
    assert.throws(() => readWadl(wrap('<resource path="a"><method name="G E T"/></resource>'), false), /is not an HTTP method/);
    assert.throws(() => readWadl(wrap('<resource path="a"><method name="GET"/><method name="GET"/></resource>'), false), /same method and URL template \(GET \/a\)/);
    assert.throws(() => readWadl(wrap('<resource path="a"><param style="query"/><method name="GET"/></resource>'), false), /a param has no name/);
  });
});
