/**
 * Support for the gateway policy e2e table: a recorder of what the real echo backend received,
 * a loopback OpenID Connect discovery server serving a JWKS, policy document builders, and the
 * check of a token validation policy's refusal.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EchoBackend } from '../../../src/main/sample/echo-backend.js';

/** One request as the backend saw it on the wire. */
export interface BackendHit {
  method: string;
  url: string;
  path: string;
  query: Record<string, string[]>;
  headers: IncomingHttpHeaders;
}

/** Records every request the echo backend receives, in arrival order. */
export function recordBackendHits(backend: EchoBackend): BackendHit[] {
  const hits: BackendHit[] = [];
  backend.server.on('request', (req: { method?: string; url?: string; headers: IncomingHttpHeaders }) => {
    const url = new URL(req.url ?? '/', 'http://backend');
    hits.push({
      method: req.method ?? '',
      url: req.url ?? '',
      path: url.pathname,
      query: Object.fromEntries([...url.searchParams.keys()].map((k) => [k, url.searchParams.getAll(k)])),
      headers: req.headers,
    });
  });
  return hits;
}

export interface OpenIdServer {
  url: string;
  discoveryUrl: string;
  /** How many times each path was fetched. */
  fetches: Record<string, number>;
  close(): Promise<void>;
}

/** Serves `/.well-known/openid-configuration` (naming `issuer`) and `/keys` (the JWKS) on loopback. */
export async function startOpenIdServer(issuer: string, jwks: { keys: object[] }): Promise<OpenIdServer> {
  const fetches: Record<string, number> = {};
  let base = '';
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://oidc').pathname;
    fetches[path] = (fetches[path] ?? 0) + 1;
    if (path === '/.well-known/openid-configuration') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ issuer, jwks_uri: `${base}/keys`, id_token_signing_alg_values_supported: ['RS256'] }));
    } else if (path === '/keys') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(jwks));
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    discoveryUrl: `${base}/.well-known/openid-configuration`,
    fetches,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Sections of a policy document; a section given as `undefined` is `<section><base /></section>`. */
export interface PolicySections {
  inbound?: string;
  backend?: string;
  outbound?: string;
  onError?: string;
}

/**
 * A `<policies>` document. Each section's text is used as written, so a section that should
 * inherit must contain `<base />` itself; a missing section inherits.
 */
export function policies(s: PolicySections): string {
  const section = (tag: string, body: string | undefined) => (body === undefined ? `  <${tag}><base /></${tag}>` : `  <${tag}>${body}</${tag}>`);
  return ['<policies>', section('inbound', s.inbound), section('backend', s.backend), section('outbound', s.outbound), section('on-error', s.onError), '</policies>'].join('\n');
}

/** Asserts Azure's answer to a token validate-jwt or validate-azure-ad-token refuses: 401 `Invalid JWT.` */
export async function assertInvalidJwt(res: Response): Promise<void> {
  assert.equal(res.status, 401);
  assert.deepEqual(await res.json(), { statusCode: 401, message: 'Invalid JWT.' });
}

/** `<set-header>` with values. */
export function setHeader(name: string, action: string, ...values: string[]): string {
  return `<set-header name="${name}" exists-action="${action}">${values.map((v) => `<value>${v}</value>`).join('')}</set-header>`;
}

/** A loopback URL on which nothing listens: a port taken from the OS and released again. */
export async function unusedLoopbackUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
