/**
 * A loopback Azure Key Vault for end-to-end tests of the real `@azure/keyvault-secrets` SDK:
 * an HTTPS server (self-signed certificate made with openssl for `hostname`) that speaks the
 * secrets REST protocol (`GET /secrets/{name}[/{version}]?api-version=…`, the 401 challenge
 * with `WWW-Authenticate: Bearer authorization=…, resource=…` the SDK answers, Key Vault's
 * error body for a missing secret), and a loopback managed identity endpoint as App Service
 * exposes it (`IDENTITY_ENDPOINT`, `IDENTITY_HEADER`, api-version 2019-08-01) that issues the
 * token the vault accepts. Both record what they were asked.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface LoopbackKeyVault {
  /** `https://<hostname>:<port>`: what secret identifiers start with. */
  vaultUrl: string;
  /** The PEM certificate file to trust (NODE_EXTRA_CA_CERTS). */
  certificateFile: string;
  /** Environment the SDK's managed identity credential reads. */
  identityEnv: { IDENTITY_ENDPOINT: string; IDENTITY_HEADER: string };
  /** Secrets by name: the latest version's value. */
  secrets: Map<string, string>;
  /** `client_id` of each token request ('' for the system-assigned identity). */
  tokenRequests: string[];
  /** Secret reads that carried the issued token. */
  authorizedReads: number;
  /** Stops the vault's listener (callers then get connection refused); the token endpoint stays. */
  stopVault(): Promise<void>;
  close(): Promise<void>;
}

/** Starts the vault (on 127.0.0.1, named `hostname` in its certificate) and the token endpoint. */
export async function startLoopbackKeyVault(hostname: string, audience: string): Promise<LoopbackKeyVault> {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-kv-'));
  const key = join(dir, 'vault.key');
  const cert = join(dir, 'vault.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '2', '-subj', `/CN=${hostname}`, '-addext', `subjectAltName=DNS:${hostname}`, '-keyout', key, '-out', cert], { stdio: 'ignore' });
  const token = randomBytes(24).toString('hex');
  const identityHeader = randomBytes(16).toString('hex');
  const secrets = new Map<string, string>();
  const state = { tokenRequests: [] as string[], authorizedReads: 0 };

  const vault = createHttpsServer({ key: readFileSync(key), cert: readFileSync(cert) }, (req, res) => {
    const url = new URL(req.url ?? '/', 'https://vault');
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      res.end(JSON.stringify(body));
    };
    if (!url.searchParams.get('api-version')) return json(400, { error: { code: 'BadParameter', message: 'api-version is required' } });
    if (req.headers.authorization !== `Bearer ${token}`) {
      return json(401, { error: { code: 'Unauthorized', message: 'AKV10000: Request is missing a Bearer or PoP token.' } }, {
        'www-authenticate': `Bearer authorization="https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47", resource="${audience}"`,
      });
    }
    const m = /^\/secrets\/([0-9A-Za-z-]+)(?:\/([0-9A-Za-z]*))?$/.exec(url.pathname);
    const value = m ? secrets.get(m[1]!) : undefined;
    if (req.method !== 'GET' || !m || value === undefined) {
      return json(404, { error: { code: 'SecretNotFound', message: `A secret with (name/id) ${m?.[1] ?? url.pathname} was not found in this key vault.` } });
    }
    state.authorizedReads++;
    json(200, {
      value,
      id: `https://${hostname}/secrets/${m[1]}/0123456789abcdef0123456789abcdef`,
      attributes: { enabled: true, created: 1700000000, updated: 1700000000, recoveryLevel: 'Recoverable+Purgeable' },
      tags: {},
    });
  });
  await new Promise<void>((resolve) => vault.listen(0, '127.0.0.1', resolve));
  const vaultPort = (vault.address() as AddressInfo).port;

  const identity: Server = createHttpServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://identity');
    if (req.headers['x-identity-header'] !== identityHeader || url.searchParams.get('api-version') !== '2019-08-01') {
      res.writeHead(400, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ error: 'invalid_request', error_description: 'missing identity header or api-version' }));
    }
    state.tokenRequests.push(url.searchParams.get('client_id') ?? '');
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ access_token: token, expires_on: Math.floor(Date.now() / 1000) + 3600, resource: url.searchParams.get('resource'), token_type: 'Bearer' }));
  });
  await new Promise<void>((resolve) => identity.listen(0, '127.0.0.1', resolve));
  const identityPort = (identity.address() as AddressInfo).port;

  const close = (server: Server) =>
    new Promise<void>((resolve) => {
      if (!server.listening) return resolve();
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return {
    vaultUrl: `https://${hostname}:${vaultPort}`,
    certificateFile: cert,
    identityEnv: { IDENTITY_ENDPOINT: `http://127.0.0.1:${identityPort}/msi/token`, IDENTITY_HEADER: identityHeader },
    secrets,
    get tokenRequests() {
      return state.tokenRequests;
    },
    get authorizedReads() {
      return state.authorizedReads;
    },
    stopVault: () => close(vault),
    async close() {
      await close(vault);
      await close(identity);
    },
  };
}
