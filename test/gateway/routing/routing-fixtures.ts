// Builders for routing tests: compact APIs, operations and requests, and a table-driven checker.
import assert from 'node:assert/strict';
import type { Api, ApiVersionSet, Operation, Protocol } from '../../../src/model/resources.js';
import type { RouteMissReason, RouteRequest, RouteResult } from '../../../src/gateway/routing/index.js';
import type { RouteTable } from '../../../src/gateway/routing/index.js';

/** An operation from `'GET /users/{id}'`; the name defaults to a slug of method and template. */
export function op(spec: string, name?: string): Operation {
  const space = spec.indexOf(' ');
  const method = spec.slice(0, space);
  const urlTemplate = spec.slice(space + 1);
  return { name: name ?? `${method} ${urlTemplate}`, displayName: name ?? spec, method, urlTemplate };
}

/** An API with sensible defaults (current, online revision 1, https only). */
export function api(name: string, path: string, operations: Operation[], extra: Partial<Api> = {}): Api {
  const rev = /;rev=(.+)$/.exec(name)?.[1];
  return {
    name,
    displayName: name,
    path,
    serviceUrl: `https://backend.test/${name}`,
    protocols: ['https'],
    subscriptionRequired: false,
    apiRevision: rev ?? '1',
    isCurrent: rev === undefined,
    isOnline: true,
    operations,
    ...extra,
  };
}

/** A version set. */
export function versionSet(name: string, scheme: ApiVersionSet['versioningScheme'], extra: Partial<ApiVersionSet> = {}): ApiVersionSet {
  return { name, displayName: name, versioningScheme: scheme, ...extra };
}

/** A request from `'GET /path?x=1'`; query values are decoded like RequestUrl does. */
export function request(line: string, options: { scheme?: Protocol; headers?: Record<string, string> } = {}): RouteRequest {
  const space = line.indexOf(' ');
  const method = line.slice(0, space);
  const target = line.slice(space + 1);
  const q = target.indexOf('?');
  const path = q === -1 ? target : target.slice(0, q);
  const query: Array<[string, string]> =
    q === -1 ? [] : [...new URLSearchParams(target.slice(q + 1))].map(([k, v]) => [k, v] as [string, string]);
  const headers = new Map(Object.entries(options.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  return { method, path, query, header: (n) => headers.get(n.toLowerCase()), scheme: options.scheme ?? 'https' };
}

/** What a row expects: a match (API name, operation name, parameters, remaining path) or a miss. */
export type Expected =
  | { api: string; op: string; params?: Record<string, string>; remaining?: string; version?: string; prefix?: string }
  | { miss: RouteMissReason | true };

export interface Row {
  req: string | RouteRequest;
  expect: Expected;
  note?: string;
}

/** Checks one row against a table, with a message naming the request. */
export function check(table: RouteTable, row: Row): RouteResult {
  const req = typeof row.req === 'string' ? request(row.req) : row.req;
  const label = `${req.method} ${req.path}${req.query.length ? '?' + req.query.map(([k, v]) => `${k}=${v}`).join('&') : ''}${row.note ? ` (${row.note})` : ''}`;
  const got = table.match(req);
  const e = row.expect;
  if ('miss' in e) {
    assert.equal(got.matched, false, `${label}: expected a miss, got ${got.matched ? `${got.api.name} ${got.operation.name}` : ''}`);
    if (!got.matched) {
      assert.equal(got.error, 'OperationNotFound', label);
      if (e.miss !== true) assert.equal(got.reason, e.miss, `${label}: miss reason`);
    }
    return got;
  }
  assert.ok(got.matched, `${label}: expected ${e.api} ${e.op}, got miss (${got.matched ? '' : got.reason})`);
  assert.equal(got.api.name, e.api, `${label}: api`);
  assert.equal(got.operation.name, e.op, `${label}: operation`);
  if (e.params) assert.deepEqual(got.matchedParameters, e.params, `${label}: parameters`);
  if (e.remaining !== undefined) assert.equal(got.remainingPath, e.remaining, `${label}: remainingPath`);
  if (e.version !== undefined) assert.equal(got.versionId, e.version, `${label}: versionId`);
  if (e.prefix !== undefined) assert.equal(got.apiPrefix, e.prefix, `${label}: apiPrefix`);
  return got;
}
