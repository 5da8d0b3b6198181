// A route table of 10,000 APIs × 10 operations answers every request correctly (correctness at
// scale only; speed is measured by bench/routing-lookup.ts, never asserted here).
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RouteTable } from '../../../src/gateway/routing/index.js';
import type { Api } from '../../../src/model/resources.js';
import { api, check, op, request } from './routing-fixtures.js';

const API_COUNT = 10_000;
const GROUPS = 100;

/** API i lives at `svc{i}` (even i) or `group{g}/svc{i}` (odd i): flat and nested paths. */
function pathOf(i: number): string {
  return i % 2 === 0 ? `svc${i}` : `group${i % GROUPS}/svc${i}`;
}

function operations(i: number) {
  return [
    op('GET /items', `list-${i}`),
    op('POST /items', `create-${i}`),
    op('GET /items/{id}', `get-${i}`),
    op('PUT /items/{id}', `put-${i}`),
    op('DELETE /items/{id}', `delete-${i}`),
    op('PATCH /items/{id}/flag', `flag-${i}`),
    op('GET /items/{id}/sub/{sub}', `sub-${i}`),
    op('GET /files/{*path}', `files-${i}`),
    op('GET /search?q={q}', `search-${i}`),
    op('GET /status', `status-${i}`),
  ];
}

let table: RouteTable;
before(() => {
  const apis: Api[] = [];
  for (let i = 0; i < API_COUNT; i++) apis.push(api(`api-${i}`, pathOf(i), operations(i)));
  // Group APIs whose paths are prefixes of the nested ones: the longer path must still win.
  for (let g = 0; g < GROUPS; g++) apis.push(api(`group-${g}`, `group${g}`, [op('GET /{*rest}', `group-rest-${g}`)]));
  table = RouteTable.build(apis, []);
});

describe('route table at scale (10,000 APIs × 10 operations)', () => {
  it('holds every API', () => {
    assert.equal(table.size, API_COUNT + GROUPS);
  });

  it('matches every operation of every API to the right API and operation', () => {
    for (let i = 0; i < API_COUNT; i++) {
      const base = '/' + pathOf(i);
      const name = `api-${i}`;
      check(table, { req: `GET ${base}/items`, expect: { api: name, op: `list-${i}`, remaining: '/items' } });
      check(table, { req: `POST ${base}/items`, expect: { api: name, op: `create-${i}` } });
      check(table, { req: `GET ${base}/items/${i}`, expect: { api: name, op: `get-${i}`, params: { id: String(i) } } });
      check(table, { req: `PUT ${base}/items/x${i}`, expect: { api: name, op: `put-${i}`, params: { id: `x${i}` } } });
      check(table, { req: `DELETE ${base}/items/7`, expect: { api: name, op: `delete-${i}` } });
      check(table, { req: `PATCH ${base}/items/7/flag`, expect: { api: name, op: `flag-${i}`, params: { id: '7' } } });
      check(table, { req: `GET ${base}/items/7/sub/8`, expect: { api: name, op: `sub-${i}`, params: { id: '7', sub: '8' } } });
      check(table, { req: `GET ${base}/files/a/b`, expect: { api: name, op: `files-${i}`, params: { path: 'a/b' } } });
      check(table, { req: `GET ${base}/search?q=${i}`, expect: { api: name, op: `search-${i}`, params: { q: String(i) } } });
      check(table, { req: `GET ${base}/status`, expect: { api: name, op: `status-${i}`, remaining: '/status' } });
    }
  });

  it('misses wrong methods, unknown operations and unknown APIs', () => {
    for (let i = 0; i < API_COUNT; i += 7) {
      const base = '/' + pathOf(i);
      check(table, { req: `DELETE ${base}/items`, expect: { miss: 'operation-not-found' } });
      check(table, { req: `GET ${base}/nope`, expect: { miss: 'operation-not-found' } });
      check(table, { req: `GET ${base}/search`, expect: { miss: 'operation-not-found' } });
    }
    check(table, { req: `GET /svc${API_COUNT}/items`, expect: { miss: 'api-not-found' } });
    check(table, { req: 'GET /svc1/items', expect: { miss: 'api-not-found' } });
  });

  it('sends paths under a group but outside its APIs to the group API', () => {
    for (let g = 0; g < GROUPS; g++) {
      check(table, {
        req: `GET /group${g}/svc0/items`,
        expect: { api: `group-${g}`, op: `group-rest-${g}`, params: { rest: 'svc0/items' } },
      });
    }
  });

  it('answers requests built independently of the fixtures', () => {
    const r = table.match(request('GET /GROUP3/SVC9903/items/42?x=1'));
    assert.ok(r.matched);
    assert.equal(r.api.name, 'api-9903');
    assert.equal(r.apiPrefix, '/GROUP3/SVC9903');
  });
});
