/**
 * The registry of gateway-generated errors (src/core/gateway-errors.ts) against the texts Azure
 * publishes (docs/errors.md's where Azure has none), held as literals in
 * test/helpers/gateway-error-texts.ts, and the JSON body every such answer is sent in. test/gateway/azure-error-texts.test.ts checks the same texts through a
 * running gateway; this file checks every field of every code, those no request shows included.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { gatewayErrorBody, gatewayErrors } from '../../src/core/gateway-errors.js';
import { expectedGatewayErrors } from '../helpers/gateway-error-texts.js';

describe('the gateway-error registry', () => {
  it('has exactly the documented codes', () => {
    assert.deepEqual(Object.keys(gatewayErrors).sort(), Object.keys(expectedGatewayErrors).sort());
  });

  for (const [code, expected] of Object.entries(expectedGatewayErrors)) {
    it(`${code}: status, body message and LastError Source / Reason / Message as Azure (or docs/errors.md) words them`, () => {
      assert.deepEqual({ ...gatewayErrors[code as keyof typeof gatewayErrors] }, expected);
    });
  }
});

describe('gatewayErrorBody', () => {
  it('is Azure\'s { "statusCode", "message" } body, in that order', () => {
    assert.equal(
      gatewayErrorBody(404, 'Resource not found'),
      '{"statusCode":404,"message":"Resource not found"}',
    );
  });

  it('adds the activityId when one is given (the 5xx answers)', () => {
    const id = '5f0c2c55-9a52-4a31-8f0e-0c6f3f1b2a7d';
    assert.equal(
      gatewayErrorBody(500, 'Internal server error', id),
      `{"statusCode":500,"message":"Internal server error","activityId":"${id}"}`,
    );
    assert.deepEqual(JSON.parse(gatewayErrorBody(502, 'x', '')), { statusCode: 502, message: 'x', activityId: '' });
  });

  it('escapes a message that holds quotes, backslashes and control characters', () => {
    const message = 'a "quoted" \\ path\nnext';
    const body = gatewayErrorBody(400, message);
    assert.deepEqual(JSON.parse(body), { statusCode: 400, message });
  });
});
