import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startEchoBackend } from '../../src/main/sample/echo-backend.js';
import type { Operation } from '../../src/model/resources.js';
import { PolicyCompileError } from '../../src/pipeline/policy-module.js';
import { compileOnly, runPolicies } from '../helpers/policy-harness.js';

const doc = (inbound: string, outbound = '') =>
  `<policies><inbound>${inbound}</inbound><backend><base /></backend><outbound>${outbound}</outbound><on-error /></policies>`;

const operation: Partial<Operation> = {
  responses: [
    {
      statusCode: 200,
      representations: [
        { contentType: 'application/json', examples: { default: { value: { id: 7, name: 'widget' } }, other: { value: { id: 8 } } } },
        { contentType: 'application/xml', examples: { default: { value: '<item id="7"/>' } } },
      ],
    },
    {
      statusCode: 201,
      representations: [
        {
          contentType: 'application/json',
          schema: {
            type: 'object',
            properties: {
              id: { type: 'integer' },
              price: { type: 'number' },
              name: { type: 'string' },
              active: { type: 'boolean' },
              tags: { type: 'array', items: { type: 'string' } },
              owner: { type: 'object', properties: { email: { type: 'string', format: 'email' } } },
            },
          },
        },
      ],
    },
    { statusCode: 204 },
    { statusCode: 404, representations: [{ contentType: 'text/plain' }] },
  ],
};

describe('mock-response', () => {
  it('answers 200 with the first example of the first representation, without calling the backend', async () => {
    const r = await runPolicies({ api: doc('<mock-response />', '<set-variable name="outbound" value="ran" />'), serviceUrl: 'http://127.0.0.1:1', operationModel: operation });
    assert.equal(r.status, 200);
    assert.equal(r.gw.response.statusReason, 'OK');
    assert.equal(r.headers.get('content-type'), 'application/json');
    assert.deepEqual(r.json(), { id: 7, name: 'widget' });
    assert.equal(r.gw.forwarded, false);
    assert.equal(r.gw.variables.has('outbound'), false);
  });

  it('picks the representation for content-type', async () => {
    const r = await runPolicies({ api: doc('<mock-response status-code="200" content-type="application/xml" />'), operationModel: operation });
    assert.equal(r.headers.get('content-type'), 'application/xml');
    assert.equal(r.body, '<item id="7"/>');
  });

  it('synthesises a sample from the schema when there is no example', async () => {
    const r = await runPolicies({ api: doc('<mock-response status-code="201" />'), operationModel: operation });
    assert.equal(r.status, 201);
    assert.equal(r.gw.response.statusReason, 'Created');
    assert.deepEqual(r.json(), { id: 0, price: 0, name: 'string', active: true, tags: ['string'], owner: { email: 'string' } });
  });

  it('prefers schema examples, enums and composed schemas when synthesising', async () => {
    const r = await runPolicies({
      api: doc('<mock-response />'),
      operationModel: {
        responses: [
          {
            statusCode: 200,
            representations: [
              {
                contentType: 'application/problem+json',
                schema: {
                  allOf: [
                    { type: 'object', properties: { kind: { type: 'string', enum: ['a', 'b'] } } },
                    { properties: { when: { type: 'string', example: '2026-01-01' }, size: { type: ['integer', 'null'] } } },
                  ],
                },
              },
            ],
          },
        ],
      },
    });
    assert.deepEqual(r.json(), { kind: 'a', when: '2026-01-01', size: 0 });
  });

  it('answers with an empty body when the response declares no representation', async () => {
    const r = await runPolicies({ api: doc('<mock-response status-code="204" />'), operationModel: operation });
    assert.equal(r.status, 204);
    assert.equal(r.body, '');
    assert.equal(r.headers.has('content-type'), false);
  });

  it('answers with an empty body when the status code is not declared, keeping the content-type', async () => {
    const r = await runPolicies({ api: doc('<mock-response status-code="503" content-type="application/json" />'), operationModel: operation });
    assert.equal(r.status, 503);
    assert.equal(r.gw.response.statusReason, 'Service Unavailable');
    assert.equal(r.body, '');
    assert.equal(r.headers.get('content-type'), 'application/json');
  });

  it('answers with an empty body for a representation without example or schema, or a missing content type', async () => {
    const plain = await runPolicies({ api: doc('<mock-response status-code="404" />'), operationModel: operation });
    assert.equal(plain.status, 404);
    assert.equal(plain.body, '');
    assert.equal(plain.headers.get('content-type'), 'text/plain');
    const missing = await runPolicies({ api: doc('<mock-response content-type="text/csv" />'), operationModel: operation });
    assert.equal(missing.body, '');
    assert.equal(missing.headers.get('content-type'), 'text/csv');
  });

  it('works without declared responses at all', async () => {
    const r = await runPolicies({ api: doc('<mock-response status-code="202" />') });
    assert.equal(r.status, 202);
    assert.equal(r.body, '');
  });

  it('replaces the backend response in outbound', async () => {
    const backend = await startEchoBackend();
    try {
      const out = await runPolicies({
        api: '<policies><inbound /><backend><base /></backend><outbound><mock-response status-code="200" /><set-variable name="after" value="x" /></outbound><on-error /></policies>',
        serviceUrl: backend.url,
        operationModel: operation,
      });
      assert.equal(out.gw.forwarded, true);
      assert.deepEqual(out.json(), { id: 7, name: 'widget' });
      assert.equal(out.gw.variables.has('after'), false);
    } finally {
      await backend.close();
    }
  });

  it('answers from on-error', async () => {
    const r = await runPolicies({
      api: '<policies><inbound><return-response response-variable-name="missing" /></inbound><backend><base /></backend><outbound /><on-error><mock-response status-code="201" /></on-error></policies>',
      operationModel: operation,
    });
    assert.equal(r.status, 201);
    assert.equal(r.json<{ id: number }>().id, 0);
  });

  it('is not allowed in backend and validates its attributes', () => {
    const reasons: Array<[string, RegExp]> = [
      ['<policies><backend><mock-response /></backend></policies>', /not allowed in the 'backend' section/],
      ['<policies><inbound><mock-response status-code="abc" /></inbound></policies>', /not a valid integer/],
      ['<policies><inbound><mock-response status-code="99" /></inbound></policies>', /at least 100/],
      ['<policies><inbound><mock-response status-code="600" /></inbound></policies>', /at most 599/],
      ['<policies><inbound><mock-response status-code="@(200)" /></inbound></policies>', /does not accept policy expressions/],
      ['<policies><inbound><mock-response content-type="" /></inbound></policies>', /must not be empty/],
      ['<policies><inbound><mock-response sample="x" /></inbound></policies>', /'sample' attribute is not declared/],
    ];
    for (const [xml, reason] of reasons) {
      assert.throws(() => compileOnly(xml), (err: unknown) => err instanceof PolicyCompileError && reason.test(err.reason), xml);
    }
  });
});
