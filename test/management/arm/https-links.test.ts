/** Over HTTPS, the absolute links the API returns (nextLink) keep the https scheme. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, request, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createManagementHandler } from '../../../src/management/arm/management-handler.js';
import { SecretBox } from '../../../src/store/secret-box.js';
import { SqliteEntityStore } from '../../../src/store/sqlite-entity-store.js';
import { adminToken, servicePath } from './arm-harness.js';

describe('management API over HTTPS', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-arm-tls-'));
  let store: SqliteEntityStore;
  let server: Server;
  let port = 0;
  const cert = join(dir, 'mgmt.crt');
  const key = join(dir, 'mgmt.key');

  before(async () => {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost', '-keyout', key, '-out', cert], { stdio: 'ignore' });
    store = await SqliteEntityStore.open({ dataDir: join(dir, 'data') });
    const handler = createManagementHandler({ store, serviceName: 'gatehouse', adminToken, sealer: new SecretBox(randomBytes(32)) });
    server = createServer({ cert: readFileSync(cert), key: readFileSync(key) }, handler);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const call = (method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> =>
    new Promise((resolve, reject) => {
      const text = body === undefined ? undefined : JSON.stringify(body);
      const req = request(
        { host: '127.0.0.1', port, method, path, servername: 'localhost', ca: readFileSync(cert), headers: { host: `localhost:${port}`, authorization: `Bearer ${adminToken}`, ...(text ? { 'content-type': 'application/json' } : {}) } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const raw = Buffer.concat(chunks).toString('utf8');
            resolve({ status: res.statusCode ?? 0, json: raw === '' ? undefined : JSON.parse(raw) });
          });
        },
      );
      req.on('error', reject);
      req.end(text);
    });

  it('pages with an https nextLink', async () => {
    for (const name of ['g1', 'g2']) {
      assert.equal((await call('PUT', `${servicePath}/groups/${name}?api-version=2024-05-01`, { properties: { displayName: name } })).status, 201);
    }
    const page = await call('GET', `${servicePath}/groups?api-version=2024-05-01&$top=1`);
    assert.equal(page.status, 200);
    const next = new URL(page.json.nextLink);
    assert.equal(next.protocol, 'https:');
    assert.equal(next.host, `localhost:${port}`);
    assert.equal(next.searchParams.get('$skip'), '1');
  });
});
