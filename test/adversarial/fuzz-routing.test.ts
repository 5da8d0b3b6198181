/**
 * Fuzzing URL templates and request paths: building the route table from any operation
 * templates either succeeds or fails with a RoutingConfigError (the configuration is refused),
 * and matching any request path against a built table answers a match or a miss, never throws;
 * a match's parameters are decoded values of the path.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { RouteTable, RoutingConfigError } from '../../src/gateway/routing/index.js';
import { api, op, request } from '../gateway/routing/routing-fixtures.js';
import { checkProperty, mutatedText } from './fuzz-settings.js';

const templates = ['/users/{id}', '/users/{id}/orders/{orderId}', '/files/*', '/search?q={q}', '/a/{b}.{c}', '/items', '/{x}/fixed', '/items/{id}?mode={mode}&x=1', '/'];
const templateAlphabet = '/{}*?=&.;%-_ab019';
const pathPieces = ['/', 'users', 'orders', 'files', 'a', '{', '}', '..', '.', '%2e', '%2F', '%', '%zz', '%00', '?', '&', 'q=1', ';', '*', '%E2%82%AC', 'é', ' ', '\\', '//'];

function build(opTemplates: string[]): RouteTable | undefined {
  try {
    return RouteTable.build([api('fuzz', 'base', opTemplates.map((t, i) => op(`GET ${t}`, `op${i}`)), { protocols: ['http', 'https'] })], []);
  } catch (err) {
    if (err instanceof RoutingConfigError) return undefined;
    throw new Error(`not a RoutingConfigError for ${JSON.stringify(opTemplates)}: ${(err as Error)?.stack ?? err}`);
  }
}

function matchAny(table: RouteTable, path: string): void {
  const result = table.match(request(`GET ${path}`));
  if (result.matched) {
    for (const value of Object.values(result.matchedParameters)) assert.equal(typeof value, 'string');
  } else {
    assert.equal(result.error, 'OperationNotFound');
  }
}

const pathArbitrary = fc.array(fc.constantFrom(...pathPieces), { maxLength: 10 }).map((pieces) => '/base/' + pieces.join(''));

describe('fuzz: URL templates and request paths', () => {
  it('any operation templates build a table or are refused with a RoutingConfigError', () => {
    assert.ok(build(templates));
    checkProperty(fc.array(mutatedText(templates, templateAlphabet), { minLength: 1, maxLength: 4 }), (list) => void build(list), 600);
    checkProperty(fc.array(fc.string({ maxLength: 20 }), { minLength: 1, maxLength: 3 }), (list) => void build(list), 300);
  });

  it('any request path against any table that built answers a match or a miss', () => {
    const table = build(templates)!;
    checkProperty(pathArbitrary, (path) => matchAny(table, path), 800);
    checkProperty(fc.string({ maxLength: 40 }), (tail) => matchAny(table, '/base/' + encodeURI(tail).replace(/%25/g, '%')), 400);
    checkProperty(fc.tuple(fc.array(mutatedText(templates, templateAlphabet), { minLength: 1, maxLength: 3 }), pathArbitrary), ([list, path]) => {
      const built = build(list);
      if (built) matchAny(built, path);
    }, 600);
  });
});
