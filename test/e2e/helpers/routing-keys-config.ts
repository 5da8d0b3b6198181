/**
 * Shared pieces of the routing and subscription-key e2e tables: the row shape, policy documents
 * written for the config folders, and one function that sends a row's request through the real
 * gateway and checks the answer and what the real echo backend saw.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startEchoBackend, type EchoBackend } from '../../../src/main/sample/echo-backend.js';
import { startGatehouseProcess, type GatehouseProcess } from './gatehouse-process.js';

/** One table row: a request, the answer expected from the gateway, and what the backend must see. */
export interface GatewayRow {
  name: string;
  request: { method?: string; path: string; headers?: Record<string, string>; body?: string };
  status: number;
  /** Exact JSON body (gateway errors); checked with deepEqual and a JSON content type. */
  body?: unknown;
  /** What the echo backend received; absent = the backend must not be called. */
  backend?: {
    path: string;
    /** Exact query the backend parsed; `{}` when omitted. */
    query?: Record<string, string[]>;
    /** Header values the backend saw; `null` = the header must be absent. */
    headers?: Record<string, string | null>;
  };
}

/** The echo backend's JSON answer (the fields the tables read). */
interface Echoed {
  method: string;
  path: string;
  url: string;
  query: Record<string, string[]>;
  headers: Record<string, string | string[] | undefined>;
}

/** A `<policies>` document whose inbound section runs `inbound` after `<base />`. */
export function inboundPolicy(inbound: string): string {
  return `<policies>
  <inbound>
    <base />
    ${inbound}
  </inbound>
  <backend><base /></backend>
  <outbound><base /></outbound>
  <on-error><base /></on-error>
</policies>`;
}

/** `<set-header>` overriding `name` with a literal value. */
export function setHeader(name: string, value: string): string {
  return `<set-header name="${name}" exists-action="override"><value>${value}</value></set-header>`;
}

/** Counts the requests the echo backend receives, so a row can check it was (not) called. */
export function countBackendRequests(backend: EchoBackend): () => number {
  let count = 0;
  backend.server.on('request', () => (count += 1));
  return () => count;
}

/** Sends the row's request to the gateway and checks status, body and backend observation. */
export async function checkRow(gatewayUrl: string, backendCalls: () => number, row: GatewayRow): Promise<void> {
  const before = backendCalls();
  const res = await fetch(gatewayUrl + row.request.path, {
    method: row.request.method ?? 'GET',
    headers: row.request.headers,
    body: row.request.body,
  });
  const text = await res.text();
  const where = `${row.request.method ?? 'GET'} ${row.request.path} answered ${res.status}: ${text}`;
  assert.equal(res.status, row.status, where);
  if (row.body !== undefined) {
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/, where);
    assert.deepEqual(JSON.parse(text), row.body, where);
  }
  if (!row.backend) {
    assert.equal(backendCalls(), before, `the backend was called: ${where}`);
    return;
  }
  assert.equal(backendCalls(), before + 1, `the backend was not called once: ${where}`);
  const echoed = JSON.parse(text) as Echoed;
  assert.equal(echoed.method, row.request.method ?? 'GET', where);
  assert.equal(echoed.path, row.backend.path, where);
  assert.deepEqual(echoed.query, row.backend.query ?? {}, where);
  for (const [name, value] of Object.entries(row.backend.headers ?? {})) {
    assert.equal(echoed.headers[name.toLowerCase()] ?? null, value, `header ${name}: ${where}`);
  }
}

/** The 404 body of reference §1.5, verbatim. */
export const notFound = { statusCode: 404, message: 'Resource not found' };

/** The 401 missing-key body of reference §1.5, verbatim. */
export const missingKey = {
  statusCode: 401,
  message: 'Access denied due to missing subscription key. Make sure to include subscription key when making requests to an API.',
};

/** The 401 invalid-key body of reference §1.5, verbatim. */
export const invalidKey = {
  statusCode: 401,
  message: 'Access denied due to invalid subscription key. Make sure to provide a valid key for an active subscription.',
};

/**
 * Declares a suite running `rows` against one real gateway process (started with the folder
 * `configFolder` writes for the echo backend's URL) and one real echo backend.
 */
export function describeGatewayTable(title: string, rows: readonly GatewayRow[], configFolder: (backendUrl: string) => string): void {
  let backend: EchoBackend;
  let gh: GatehouseProcess;
  let backendCalls: () => number;
  before(async () => {
    backend = await startEchoBackend();
    backendCalls = countBackendRequests(backend);
    gh = await startGatehouseProcess(['--config', configFolder(backend.url)]);
  });
  after(async () => {
    await gh?.stop();
    await backend?.close();
  });
  describe(title, () => {
    for (const row of rows) {
      it(row.name, () => checkRow(gh.gatewayUrl, backendCalls, row));
    }
  });
}
