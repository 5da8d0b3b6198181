// Version sets (Segment, Query, Header; the Original version) and revisions (`;rev=N`, current,
// offline), reference §1.2.3–1.2.4. Table-driven: request → API/operation/version, or a miss.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RouteTable } from '../../../src/gateway/routing/index.js';
import { api, check, op, request, versionSet, type Row } from './routing-fixtures.js';

const items = (tag: string) => [op('GET /items', `items-${tag}`), op('GET /items/{id}', `item-${tag}`)];

const table = RouteTable.build(
  [
    // Segment scheme with an Original version (apiVersion '' and absent both count as Original).
    api('seg-orig', 'segapi', [...items('orig'), op('GET /v1/legacy', 'legacy-orig'), op('GET /v3/legacy', 'legacy3-orig')], { apiVersionSetId: 'seg', apiVersion: '' }),
    api('seg-v1', 'segapi', [...items('v1'), op('GET /v1only', 'v1only')], { apiVersionSetId: 'seg', apiVersion: 'v1' }),
    api('seg-v2', 'segapi', items('v2'), { apiVersionSetId: 'seg', apiVersion: 'V2' }),
    // Segment scheme without an Original version.
    api('noorig-v1', 'noorig', items('noorig-v1'), { apiVersionSetId: 'noorig', apiVersion: 'v1' }),
    // Query scheme.
    api('q-orig', 'qapi', items('q-orig'), { apiVersionSetId: 'q', apiVersion: undefined }),
    api('q-2024', 'qapi', items('q-2024'), { apiVersionSetId: 'q', apiVersion: '2024-01-01' }),
    api('q-2024;rev=2', 'qapi', [op('GET /items', 'items-q-2024-r2')], { apiVersionSetId: 'q', apiVersion: '2024-01-01' }),
    // Query scheme without a query name: Azure's default `api-version`.
    api('qd-v1', 'qdefault', items('qd-v1'), { apiVersionSetId: 'qd', apiVersion: 'v1' }),
    // Header scheme, no Original.
    api('h-v1', 'hapi', items('h-v1'), { apiVersionSetId: 'h', apiVersion: 'v1' }),
    api('h-v2', 'hapi', items('h-v2'), { apiVersionSetId: 'h', apiVersion: 'v2' }),
    // Revisions: 1 current, 2 online but not current, 3 offline.
    api('customers', 'customers', [op('GET /leads', 'leads-r1')]),
    api('customers;rev=2', 'customers', [op('GET /leads', 'leads-r2'), op('GET /new', 'new-r2')]),
    api('customers;rev=3', 'customers', [op('GET /leads', 'leads-r3')], { isOnline: false }),
    // Revisions of a multi-segment path.
    api('deep', 'a/b', [op('GET /x', 'x-r1')]),
    api('deep;rev=2', 'a/b', [op('GET /x', 'x-r2')]),
    // Revisions with Segment versioning: `;rev=N` follows the version segment.
    api('sv-orig', 'sv', [op('GET /x', 'x-orig')], { apiVersionSetId: 'sv', apiVersion: '' }),
    api('sv-orig;rev=4', 'sv', [op('GET /x', 'x-orig-r4')], { apiVersionSetId: 'sv', apiVersion: '' }),
    api('sv-v1', 'sv', [op('GET /x', 'x-v1')], { apiVersionSetId: 'sv', apiVersion: 'v1' }),
    api('sv-v1;rev=2', 'sv', [op('GET /x', 'x-v1-r2')], { apiVersionSetId: 'sv', apiVersion: 'v1' }),
    // An offline current revision is unreachable too.
    api('dark', 'dark', [op('GET /x', 'x')], { isOnline: false }),
  ],
  [
    versionSet('seg', 'Segment'),
    versionSet('noorig', 'Segment'),
    versionSet('q', 'Query', { versionQueryName: 'api-version' }),
    versionSet('qd', 'Query'),
    versionSet('h', 'Header', { versionHeaderName: 'X-Version' }),
    versionSet('sv', 'Segment'),
  ],
);

const rows: Row[] = [
  // Segment
  { req: 'GET /segapi/v1/items', expect: { api: 'seg-v1', op: 'items-v1', remaining: '/items', prefix: '/segapi/v1', version: 'v1' } },
  { req: 'GET /segapi/v1/items/9', expect: { api: 'seg-v1', op: 'item-v1', params: { id: '9' }, remaining: '/items/9' } },
  { req: 'GET /segapi/v2/items', expect: { api: 'seg-v2', op: 'items-v2', version: 'V2' }, note: 'version ids compare case-insensitively' },
  { req: 'GET /SEGAPI/V1/items', expect: { api: 'seg-v1', op: 'items-v1' } },
  { req: 'GET /segapi/v1', expect: { miss: 'operation-not-found' }, note: 'the version segment is not an operation path' },
  { req: 'GET /segapi/v1/v1only', expect: { api: 'seg-v1', op: 'v1only' } },
  { req: 'GET /segapi/items', expect: { api: 'seg-orig', op: 'items-orig', remaining: '/items', prefix: '/segapi' }, note: 'Original answers without a version' },
  { req: 'GET /segapi/v3/items', expect: { miss: 'operation-not-found' }, note: 'unknown version segment is part of the Original path' },
  { req: 'GET /segapi/v1/legacy', expect: { miss: 'operation-not-found' }, note: 'a version id beats an Original path segment' },
  { req: 'GET /segapi/v3/legacy', expect: { api: 'seg-orig', op: 'legacy3-orig', remaining: '/v3/legacy' } },
  { req: 'GET /segapi/v1only', expect: { miss: 'operation-not-found' }, note: 'v1 operations are not in the Original' },
  { req: 'GET /noorig/v1/items', expect: { api: 'noorig-v1', op: 'items-noorig-v1' } },
  { req: 'GET /noorig/items', expect: { miss: 'version-not-found' }, note: 'no Original version' },
  // Query
  { req: 'GET /qapi/items?api-version=2024-01-01', expect: { api: 'q-2024', op: 'items-q-2024', remaining: '/items', version: '2024-01-01' } },
  { req: 'GET /qapi/items/3?x=1&api-version=2024-01-01', expect: { api: 'q-2024', op: 'item-q-2024', params: { id: '3' } } },
  { req: 'GET /qapi/items', expect: { api: 'q-orig', op: 'items-q-orig' } },
  { req: 'GET /qapi/items?api-version=', expect: { api: 'q-orig', op: 'items-q-orig' }, note: 'empty identifier = none' },
  { req: 'GET /qapi/items?api-version=1999-01-01', expect: { miss: 'version-not-found' } },
  { req: 'GET /qapi/items?API-VERSION=2024-01-01', expect: { api: 'q-orig', op: 'items-q-orig' }, note: 'query names compare exactly' },
  { req: 'GET /qapi;rev=2/items?api-version=2024-01-01', expect: { api: 'q-2024;rev=2', op: 'items-q-2024-r2', prefix: '/qapi;rev=2' } },
  { req: 'GET /qapi;rev=2/items', expect: { miss: 'revision-not-found' }, note: 'the Original has no revision 2' },
  { req: 'GET /qdefault/items?api-version=v1', expect: { api: 'qd-v1', op: 'items-qd-v1' } },
  { req: 'GET /qdefault/items', expect: { miss: 'version-not-found' } },
  // Header
  { req: request('GET /hapi/items', { headers: { 'x-version': 'v2' } }), expect: { api: 'h-v2', op: 'items-h-v2', version: 'v2', remaining: '/items' } },
  { req: request('GET /hapi/items', { headers: { 'X-Version': 'V1' } }), expect: { api: 'h-v1', op: 'items-h-v1' } },
  { req: request('GET /hapi/items', { headers: { 'X-Version': 'v9' } }), expect: { miss: 'version-not-found' } },
  { req: 'GET /hapi/items', expect: { miss: 'version-not-found' }, note: 'no Original version' },
  { req: 'GET /hapi/v1/items', expect: { miss: 'version-not-found' }, note: 'a path segment does not select a Header version' },
  // Revisions
  { req: 'GET /customers/leads', expect: { api: 'customers', op: 'leads-r1', prefix: '/customers' } },
  { req: 'GET /customers;rev=1/leads', expect: { api: 'customers', op: 'leads-r1' } },
  { req: 'GET /customers;rev=2/leads', expect: { api: 'customers;rev=2', op: 'leads-r2', remaining: '/leads', prefix: '/customers;rev=2' } },
  { req: 'GET /Customers;rev=2/leads', expect: { api: 'customers;rev=2', op: 'leads-r2' } },
  { req: 'GET /customers;rev=2/new', expect: { api: 'customers;rev=2', op: 'new-r2' } },
  { req: 'GET /customers/new', expect: { miss: 'operation-not-found' }, note: 'only the current revision answers without ;rev' },
  { req: 'GET /customers;rev=3/leads', expect: { miss: 'revision-not-found' }, note: 'offline revision' },
  { req: 'GET /customers;rev=9/leads', expect: { miss: 'revision-not-found' }, note: 'unknown revision' },
  { req: 'GET /a/b;rev=2/x', expect: { api: 'deep;rev=2', op: 'x-r2', remaining: '/x' } },
  { req: 'GET /a;rev=2/b/x', expect: { miss: 'api-not-found' }, note: ';rev belongs on the last API path segment' },
  { req: 'GET /a/b/x', expect: { api: 'deep', op: 'x-r1' } },
  { req: 'GET /sv/v1;rev=2/x', expect: { api: 'sv-v1;rev=2', op: 'x-v1-r2', remaining: '/x', prefix: '/sv/v1;rev=2', version: 'v1' } },
  { req: 'GET /sv/v1/x', expect: { api: 'sv-v1', op: 'x-v1' } },
  { req: 'GET /sv;rev=4/x', expect: { api: 'sv-orig;rev=4', op: 'x-orig-r4' }, note: 'Original revision: ;rev on the API path' },
  { req: 'GET /sv/x', expect: { api: 'sv-orig', op: 'x-orig' } },
  { req: 'GET /sv;rev=2/v1/x', expect: { miss: 'revision-not-found' }, note: ';rev before the version segment addresses the Original' },
  { req: 'GET /dark/x', expect: { miss: 'revision-not-found' } },
  { req: 'GET /dark;rev=1/x', expect: { miss: 'revision-not-found' } },
];

describe('version sets and revisions', () => {
  for (const row of rows) {
    const r = typeof row.req === 'string' ? row.req : `${row.req.method} ${row.req.path} [${['x-version'].map((h) => (row.req as { header(n: string): string | undefined }).header(h)).join()}]`;
    it(`${r}${row.note ? ` — ${row.note}` : ''}`, () => {
      check(table, row);
    });
  }

  it('reports the revision that answered', () => {
    const r = table.match(request('GET /customers;rev=2/leads'));
    assert.ok(r.matched);
    assert.equal(r.revision, '2');
    const current = table.match(request('GET /customers/leads'));
    assert.ok(current.matched);
    assert.equal(current.revision, '1');
    assert.equal(current.versionId, undefined);
  });

  it('serves a root API revision as a bare first segment', () => {
    const root = RouteTable.build(
      [api('root', '', [op('GET /x', 'x-r1')]), api('root;rev=2', '', [op('GET /x', 'x-r2')])],
      [],
    );
    check(root, { req: 'GET /x', expect: { api: 'root', op: 'x-r1', remaining: '/x', prefix: '' } });
    check(root, { req: 'GET /;rev=2/x', expect: { api: 'root;rev=2', op: 'x-r2', remaining: '/x', prefix: '/;rev=2' } });
  });

  it('serves a root API with Segment versioning', () => {
    const root = RouteTable.build(
      [
        api('r-orig', '', [op('GET /x', 'x-orig')], { apiVersionSetId: 'r', apiVersion: '' }),
        api('r-v2', '', [op('GET /x', 'x-v2')], { apiVersionSetId: 'r', apiVersion: 'v2' }),
      ],
      [versionSet('r', 'Segment')],
    );
    check(root, { req: 'GET /v2/x', expect: { api: 'r-v2', op: 'x-v2', remaining: '/x', prefix: '/v2' } });
    check(root, { req: 'GET /x', expect: { api: 'r-orig', op: 'x-orig', remaining: '/x' } });
  });
});
