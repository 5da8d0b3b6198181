/**
 * The OpenID discovery cache against a real loopback discovery server: documents are fetched
 * once and kept, the cache never holds more endpoints than its bound (the least recently used
 * goes first), and a document past the size bound is refused without being read whole.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { maxDocumentBytes, OpenIdConfigCache } from '../../../src/policies/validate-jwt/openid-config-cache.js';

const jwk = { ...generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ format: 'jwk' }), kid: 'k1', use: 'sig' };
let server: Server;
let base = '';
const fetches = new Map<string, number>();

before(async () => {
  server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    fetches.set(path, (fetches.get(path) ?? 0) + 1);
    if (path === '/huge/.well-known/openid-configuration') {
      res.writeHead(200, { 'content-type': 'application/json' });
      // Streams past the bound; the reader must stop without waiting for the end.
      res.write(`{"issuer":"${'x'.repeat(maxDocumentBytes)}`);
      res.end('"}');
      return;
    }
    if (path.endsWith('/keys')) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
      return;
    }
    const tenant = path.split('/')[1];
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ issuer: `https://issuer/${tenant}`, jwks_uri: `${base}/${tenant}/keys` }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))));

const discovery = (tenant: string) => `${base}/${tenant}/.well-known/openid-configuration`;

describe('OpenIdConfigCache', () => {
  it('fetches a discovery document and its keys once, then serves them from the cache', async () => {
    const cache = new OpenIdConfigCache();
    const first = await cache.get(discovery('t1'), 0);
    assert.equal(first.issuer, 'https://issuer/t1');
    assert.equal(first.keys.length, 1);
    await cache.get(discovery('t1'), 1000);
    assert.equal(fetches.get('/t1/.well-known/openid-configuration'), 1);
  });

  it('keeps at most its bound of endpoints, dropping the least recently used', async () => {
    const cache = new OpenIdConfigCache(3);
    for (const tenant of ['a', 'b', 'c']) await cache.get(discovery(tenant), 0);
    await cache.get(discovery('a'), 0); // a is now the most recently used
    await cache.get(discovery('d'), 0); // b goes
    assert.equal(cache.size, 3);
    await cache.get(discovery('a'), 0);
    await cache.get(discovery('c'), 0);
    assert.equal(fetches.get('/a/.well-known/openid-configuration'), 1, 'a stayed cached');
    assert.equal(fetches.get('/c/.well-known/openid-configuration'), 1, 'c stayed cached');
    await cache.get(discovery('b'), 0);
    assert.equal(fetches.get('/b/.well-known/openid-configuration'), 2, 'b was dropped and fetched again');
    assert.equal(cache.size, 3);
  });

  it('refuses a document larger than the bound, with no keys', async () => {
    const cache = new OpenIdConfigCache();
    const config = await cache.get(`${base}/huge/.well-known/openid-configuration`, 0);
    assert.equal(config.keys.length, 0);
    assert.match(config.error ?? '', /answered more than 1048576 bytes/);
  });
});
