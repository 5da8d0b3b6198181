/** The path the try-it console calls on the gateway (docs/portal.md, "The try-it console"). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { hasWildcard, templateParameterNames, tryItPath } from '../../../web/portal/try-it-path.js';

const none = { template: {}, wildcard: '', query: [] as Array<[string, string]> };

describe('the try-it path', () => {
  it('puts the API path before the template and fills its parameters, each value one encoded segment', () => {
    assert.equal(tryItPath('pets', '/pets/{petId}', { ...none, template: { petId: '7' } }), '/pets/pets/7');
    assert.equal(tryItPath('/pets/', '/pets/{petId}', { ...none, template: { petId: '../a b?x=1#y' } }), '/pets/pets/..%2Fa%20b%3Fx%3D1%23y');
    assert.equal(tryItPath('', '/status', none), '/status');
    assert.equal(tryItPath('v1/shop', '/', none), '/v1/shop/');
  });

  it('adds the filled query parameters, encoded, and leaves out the empty ones', () => {
    const query: Array<[string, string]> = [
      ['verbose', 'yes'],
      ['empty', ''],
      ['q', 'a&b=c'],
    ];
    assert.equal(tryItPath('pets', '/pets', { ...none, query }), '/pets/pets?verbose=yes&q=a%26b%3Dc');
    // A query written in the template stays, with its parameters filled.
    assert.equal(tryItPath('pets', '/find?kind={kind}', { ...none, template: { kind: 'cat dog' }, query: [['page', '2']] }), '/pets/find?kind=cat%20dog&page=2');
  });

  it('puts the free rest of the path where the template has *, keeping its segments but not a query', () => {
    assert.equal(hasWildcard('/*'), true);
    assert.equal(hasWildcard('/items/{id}'), false);
    assert.equal(tryItPath('echo', '/*', { ...none, wildcard: 'pets/from-the-portal' }), '/echo/pets/from-the-portal');
    assert.equal(tryItPath('echo', '/*', { ...none, wildcard: '/a:b@c/d?e#f' }), '/echo/a:b@c/d%3Fe%23f');
    assert.equal(tryItPath('echo', '/*', none), '/echo/');
  });

  it('names the template parameters once each, in order', () => {
    assert.deepEqual(templateParameterNames('/a/{x}/b/{y}?z={x}'), ['x', 'y']);
    assert.deepEqual(templateParameterNames('/plain'), []);
  });
});
