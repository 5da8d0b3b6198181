/**
 * Test harness for the management API: a real handler on a loopback port over a real SQLite
 * store in a temporary folder, with a real secret box. Requests go over real HTTP.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createManagementHandler } from '../../../src/management/arm/management-handler.js';
import { createGatewayProtocolHandler, isGatewayProtocolRequest } from '../../../src/management/gateway-protocol/gateway-protocol-handler.js';
import { createLogger } from '../../../src/core/logger.js';
import type { ServiceEndpoints } from '../../../src/management/arm/service-resource.js';
import type { SecretProvider } from '../../../src/core/secret-provider.js';
import type { TraceLookup } from '../../../src/core/request-traces.js';
import { SecretBox } from '../../../src/store/secret-box.js';
import { SqliteEntityStore } from '../../../src/store/sqlite-entity-store.js';
import type { SignInLimiter } from '../../../src/management/arm/sign-in-limiter.js';
import type { ManagementHandlerOptions } from '../../../src/management/arm/management-handler.js';

export const adminToken = 'test-admin-token-0123456789';
export const serviceName = 'gatehouse';
export const servicePath = `/subscriptions/sub1/resourceGroups/rg1/providers/Microsoft.ApiManagement/service/${serviceName}`;
export const apiVersion = '2024-05-01';

export interface ArmReply {
  status: number;
  headers: Headers;
  body: any;
  text: string;
}

export interface RequestOptions {
  body?: unknown;
  /** Raw body text (sent as is). */
  raw?: string;
  headers?: Record<string, string>;
  /** Authorization header; default the admin token; null omits it. */
  auth?: string | null;
  /** api-version; null omits it. */
  apiVersion?: string | null;
}

export interface ManagementHarness {
  url: string;
  store: SqliteEntityStore;
  box: SecretBox;
  /** Sends a request; `path` is below the service unless it starts with `/subscriptions`. */
  call(method: string, path: string, options?: RequestOptions): Promise<ArmReply>;
  close(): Promise<void>;
}

/** Starts a handler over a fresh SQLite store (`endpoints`: what the process would report). */
export async function startManagement(
  options: { endpoints?: ServiceEndpoints; secrets?: SecretProvider; traces?: TraceLookup; now?: () => Date; signInLimiter?: SignInLimiter; mail?: Pick<ManagementHandlerOptions, 'mail' | 'portalUrl' | 'selfServiceLimits' | 'clientAddress'> } = {},
): Promise<ManagementHarness> {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-arm-'));
  // One clock for the handlers and the store, which times heartbeats.
  const store = await SqliteEntityStore.open({ dataDir: dir, clock: options.now ? { now: () => options.now!().getTime() } : undefined });
  const box = new SecretBox(randomBytes(32));
  // The self-hosted gateway protocol beside the ARM API, as on the management listeners (management-runtime.ts).
  const handler = createManagementHandler({ store, serviceName, adminToken, sealer: box, actor: 'test-admin', endpoints: options.endpoints, secrets: options.secrets, traces: options.traces, now: options.now, heartbeats: store, signInLimiter: options.signInLimiter, ...options.mail });
  const gatewayProtocol = createGatewayProtocolHandler({ store, sealer: box, serviceName, heartbeats: store, logger: createLogger('silent', 'json'), now: options.now });
  const server: Server = createServer((req, res) => (isGatewayProtocolRequest(req) ? gatewayProtocol(req, res) : handler(req, res)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    store,
    box,
    async call(method, path, options = {}) {
      const full = path.toLowerCase().startsWith('/subscriptions') ? path : `${servicePath}${path.startsWith('/') || path === '' ? '' : '/'}${path}`;
      const target = new URL(full, url);
      const version = options.apiVersion === undefined ? apiVersion : options.apiVersion;
      if (version !== null && !target.searchParams.has('api-version')) target.searchParams.set('api-version', version);
      const headers: Record<string, string> = { ...(options.headers ?? {}) };
      const auth = options.auth === undefined ? `Bearer ${adminToken}` : options.auth;
      if (auth !== null) headers.authorization = auth;
      let body: string | undefined = options.raw;
      if (options.body !== undefined) body = JSON.stringify(options.body);
      if (body !== undefined) headers['content-type'] = 'application/json';
      const response = await fetch(target, { method, headers, body });
      const text = await response.text();
      let parsed: unknown;
      try {
        parsed = text === '' ? undefined : JSON.parse(text);
      } catch {
        parsed = undefined;
      }
      return { status: response.status, headers: response.headers, body: parsed, text };
    },
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Every stored entity with its body, sorted by id, for before/after comparisons. */
export async function storeState(store: SqliteEntityStore): Promise<unknown[]> {
  const all = await store.all();
  return all
    .map((e) => ({ kind: e.kind, id: e.id, body: e.body, etag: e.etag }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
