/**
 * The `certificates` resource and the Backend properties that depend on it, through the real
 * management API over HTTP into a real SQLite store: a PFX is opened at PUT (a bad file or
 * password is a 400 naming the property), sealed at rest, shown as subject/thumbprint/expiry
 * only, resolved into the gateway's configuration, and protected from deletion while a backend
 * names it. Backend properties Gatehouse cannot act on are refused with a 400 naming them.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildSnapshot } from '../../../src/gateway/snapshot/build-snapshot.js';
import { readStoreConfig } from '../../../src/management/store-config/read-store-config.js';
import { policyRegistry } from '../../../src/policies/index.js';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { packPfx, selfSignedCertificate, type ClientPfx, type KeyPair } from '../../helpers/tls-test-servers.js';
import { withMacIterations } from '../../helpers/crafted-pkcs12.js';
import { servicePath, startManagement, type ManagementHarness } from './arm-harness.js';

const put = (h: ManagementHarness, path: string, properties: Record<string, unknown>) => h.call('PUT', path, { body: { properties } });
const del = (h: ManagementHarness, path: string) => h.call('DELETE', path, { headers: { 'if-match': '*' } });
const target = (reply: { body: any }): string => reply.body?.error?.details?.[0]?.target;

describe('management API: certificates', () => {
  let h: ManagementHarness;
  let client: ClientPfx;
  before(async () => {
    h = await startManagement();
    client = packPfx(await selfSignedCertificate('gatehouse-client'), 'pfx-secret');
  });
  after(() => h.close());

  it('opens the PFX at PUT, answers Azure\'s shape and never shows data or password', async () => {
    const created = await put(h, 'certificates/client', { data: client.pfx, password: client.password });
    assert.equal(created.status, 201, created.text);
    assert.equal(created.body.type, 'Microsoft.ApiManagement/service/certificates');
    assert.deepEqual(Object.keys(created.body.properties).sort(), ['expirationDate', 'subject', 'thumbprint']);
    assert.equal(created.body.properties.subject, 'CN=gatehouse-client');
    assert.equal(created.body.properties.thumbprint, client.thumbprint);
    assert.match(created.body.properties.expirationDate, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const read = await h.call('GET', 'certificates/client');
    assert.deepEqual(read.body.properties, created.body.properties);
    assert.ok(!read.text.includes(client.pfx.slice(0, 40)) && !read.text.includes(client.password));
    const stored = await h.store.get('certificates/client');
    assert.notEqual(stored?.body.data, client.pfx, 'the PFX is sealed at rest');
    assert.notEqual(stored?.body.password, client.password, 'the password is sealed at rest');
    assert.equal(h.box.open(String(stored?.body.password)), client.password);
  });

  it('refuses a wrong password, a damaged file, no data and keyVault with a 400 naming the property', async () => {
    const wrong = await put(h, 'certificates/bad', { data: client.pfx, password: 'not-it' });
    assert.equal(wrong.status, 400);
    assert.equal(wrong.body.error.code, 'ValidationError');
    assert.equal(target(wrong), 'password');
    assert.equal(target(await put(h, 'certificates/bad', { data: Buffer.from('not a pfx').toString('base64'), password: 'x' })), 'data');
    assert.equal(target(await put(h, 'certificates/bad', { data: '%%%', password: 'x' })), 'data');
    assert.equal(target(await put(h, 'certificates/bad', { password: 'x' })), 'data');
    assert.equal(target(await put(h, 'certificates/bad', { keyVault: { secretIdentifier: 'https://v.vault.azure.net/secrets/c' } })), 'keyVault');
    assert.equal((await h.call('GET', 'certificates/bad')).status, 404);
  });

  it('refuses a PFX asking for more password iterations than Gatehouse does, before opening it', async () => {
    const pair = await selfSignedCertificate('gatehouse-iterations');
    const hostile = withMacIterations(Buffer.from(packPfx(pair, 'pw', ['-iter', '65536']).pfx, 'base64'));
    const refused = await put(h, 'certificates/hostile', { data: hostile.toString('base64'), password: 'pw' });
    assert.equal(refused.status, 400, refused.text);
    assert.equal(target(refused), 'data');
    assert.match(refused.text, /asks for 8388607 password iterations in total, more than the 1000000 Gatehouse accepts/);
    // The same file as openssl wrote it (65,536 per derivation) is taken.
    assert.equal((await put(h, 'certificates/iterations', { data: packPfx(pair, 'pw', ['-iter', '65536']).pfx, password: 'pw' })).status, 201);
  });

  it('backends name stored certificates by id or thumbprint; unknown ones are refused', async () => {
    const unknownId = await put(h, 'backends/mtls', { url: 'https://127.0.0.1:9', credentials: { certificateIds: ['/certificates/ghost'] } });
    assert.equal(unknownId.status, 400);
    assert.equal(target(unknownId), 'credentials.certificateIds[0]');
    const unknownPrint = await put(h, 'backends/mtls', { url: 'https://127.0.0.1:9', credentials: { certificate: ['00FF'] } });
    assert.equal(target(unknownPrint), 'credentials.certificate[0]');
    assert.equal((await put(h, 'backends/mtls', { url: 'https://127.0.0.1:9', credentials: { certificateIds: [`${servicePath}/certificates/client`] } })).status, 201);
    assert.equal((await put(h, 'backends/mtls2', { url: 'https://127.0.0.1:9', credentials: { certificate: [client.thumbprint.toLowerCase()] } })).status, 201);

    // The gateway's configuration carries the opened PFX to the backends that name it.
    const { config } = await readStoreConfig(h.store, { serviceName: 'gatehouse', sealer: h.box });
    const snapshot = buildSnapshot(config, { policies: policyRegistry, version: 1 });
    for (const name of ['mtls', 'mtls2']) {
      const backend = snapshot.catalog.backends.get(name);
      assert.deepEqual(backend?.clientCertificates, [{ thumbprint: client.thumbprint, data: client.pfx, password: client.password }]);
    }
  });

  it('refuses to delete a certificate a backend uses, then deletes it once unused', async () => {
    const refused = await del(h, 'certificates/client');
    assert.equal(refused.status, 409);
    assert.equal(refused.body.error.code, 'Conflict');
    assert.match(refused.body.error.message, /in use by backend 'mtls2?'/);
    assert.equal((await del(h, 'backends/mtls')).status, 200);
    assert.equal((await del(h, 'certificates/client')).status, 409);
    assert.equal((await del(h, 'backends/mtls2')).status, 200);
    assert.equal((await del(h, 'certificates/client')).status, 200);
  });
});

describe('management API: certificates in PEM and as public .cer files', () => {
  let h: ManagementHarness;
  let pair: KeyPair;
  before(async () => {
    h = await startManagement();
    pair = await selfSignedCertificate('gatehouse-pem');
  });
  after(() => h.close());
  const thumbprintOf = (pem: string) => new X509Certificate(pem).fingerprint.replace(/:/g, '');

  it('accepts PEM text with its key, as text or base64, and presents it to backends', async () => {
    const asText = await put(h, 'certificates/pem', { data: `${pair.cert}\n${pair.key}` });
    assert.equal(asText.status, 201, asText.text);
    assert.equal(asText.body.properties.thumbprint, thumbprintOf(pair.cert));
    assert.equal(asText.body.properties.subject, 'CN=gatehouse-pem');
    const asBase64 = await put(h, 'certificates/pem64', { data: Buffer.from(`${pair.key}${pair.cert}`).toString('base64') });
    assert.equal(asBase64.status, 201, asBase64.text);
    assert.equal((await put(h, 'backends/pem-user', { url: 'https://127.0.0.1:9', credentials: { certificateIds: ['/certificates/pem'] } })).status, 201);
  });

  it('opens an encrypted PEM key with the password, refusing a wrong one on password', async () => {
    const encrypted = createPrivateKey(pair.key).export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pem-secret' }) as string;
    assert.equal(target(await put(h, 'certificates/enc', { data: pair.cert + encrypted, password: 'wrong' })), 'password');
    assert.equal((await put(h, 'certificates/enc', { data: pair.cert + encrypted, password: 'pem-secret' })).status, 201);
  });

  it('refuses a key that is not the certificate\'s, and PEM without a certificate', async () => {
    const other = await selfSignedCertificate('other');
    assert.equal(target(await put(h, 'certificates/bad', { data: pair.cert + other.key })), 'data');
    assert.equal(target(await put(h, 'certificates/bad', { data: pair.key })), 'data');
  });

  it('refuses to delete or strip the key of a certificate a policy names', async () => {
    assert.equal((await put(h, 'certificates/named', { data: `${pair.cert}\n${pair.key}` })).status, 201);
    const policy = '<policies><inbound><authentication-certificate certificate-id="named" /></inbound><backend><forward-request /></backend><outbound /><on-error /></policies>';
    const saved = await h.call('PUT', 'policies/policy', { body: { properties: { format: 'rawxml', value: policy } } });
    assert.equal(saved.status, 201, saved.text);
    const deleted = await del(h, 'certificates/named');
    assert.equal(deleted.status, 400, deleted.text);
    assert.match(deleted.text, /used by a policy/);
    const stripped = await put(h, 'certificates/named', { data: pair.cert });
    assert.equal(stripped.status, 400, stripped.text);
    assert.equal((await h.call('GET', 'certificates/named')).status, 200);
    assert.equal((await del(h, 'policies/policy')).status, 200);
    assert.equal((await del(h, 'certificates/named')).status, 200);
  });

  it('keeps a public certificate (.cer or PEM without key) for validation, never for a backend', async () => {
    const der = new X509Certificate(pair.cert).raw.toString('base64');
    const cer = await put(h, 'certificates/ca-cer', { data: der });
    assert.equal(cer.status, 201, cer.text);
    assert.equal(cer.body.properties.thumbprint, thumbprintOf(pair.cert));
    assert.equal(target(await put(h, 'certificates/ca-cer2', { data: der, password: 'x' })), 'password');
    assert.equal((await put(h, 'certificates/ca-pem', { data: pair.cert })).status, 201);
    const refused = await put(h, 'backends/keyless', { url: 'https://127.0.0.1:9', credentials: { certificateIds: ['/certificates/ca-cer'] } });
    assert.equal(refused.status, 400);
    assert.equal(target(refused), 'credentials.certificateIds[0]');
    assert.match(refused.body.error.details[0].message, /no private key/);
    const { config } = await readStoreConfig(h.store, { serviceName: 'gatehouse', sealer: h.box });
    assert.equal(config.certificates?.find((c) => c.name === 'ca-cer')?.publicOnly, true);
    assert.equal(config.certificates?.find((c) => c.name === 'pem')?.publicOnly, undefined);
  });
});

describe('management API: backend properties acted on or refused', () => {
  let h: ManagementHarness;
  before(async () => {
    h = await startManagement();
    assert.equal((await put(h, 'backends/member', { url: 'http://127.0.0.1:9' })).status, 201);
  });
  after(() => h.close());

  it('refuses Service Fabric properties, naming them', async () => {
    const reply = await put(h, 'backends/sf', { url: 'fabric:/app/svc', properties: { serviceFabricCluster: { managementEndpoints: ['https://x'] } } });
    assert.equal(reply.status, 400);
    // The request schema refuses `properties` as a whole (resource-schemas.ts: Service Fabric is all it holds).
    assert.equal(target(reply), 'properties');
  });

  it('refuses more than 32 client certificates, as Azure does', async () => {
    const many = Array.from({ length: 33 }, (_, i) => `/certificates/c${i}`);
    const reply = await put(h, 'backends/many', { url: 'https://127.0.0.1:9', credentials: { certificateIds: many } });
    assert.equal(reply.status, 400);
    assert.equal(target(reply), 'credentials.certificateIds');
  });

  it('refuses tls, proxy and credentials on a Pool, whose members make the calls', async () => {
    const pool = { type: 'Pool', pool: { services: [{ id: '/backends/member' }] } };
    assert.equal(target(await put(h, 'backends/p', { ...pool, tls: { validateCertificateChain: false } })), 'tls');
    assert.equal(target(await put(h, 'backends/p', { ...pool, proxy: { url: 'http://proxy.test:3128' } })), 'proxy');
    assert.equal(target(await put(h, 'backends/p', { ...pool, credentials: { header: { a: ['b'] } } })), 'credentials');
    assert.equal((await put(h, 'backends/p', pool)).status, 201);
  });

  it('checks the proxy: an absolute http(s) URL, named values that exist', async () => {
    assert.equal(target(await put(h, 'backends/x', { url: 'http://127.0.0.1:9', proxy: { url: 'proxy.test:3128' } })), 'proxy.url');
    assert.equal(target(await put(h, 'backends/x', { url: 'http://127.0.0.1:9', proxy: { url: 'http://proxy.test', password: '{{missing}}' } })), 'proxy');
    assert.equal((await put(h, 'namedValues/proxy-pw', { displayName: 'proxy-pw', value: 'from-a-secret', secret: true })).status, 201);
    const ok = await put(h, 'backends/x', { url: 'http://127.0.0.1:9', proxy: { url: 'http://proxy.test:3128', username: 'u', password: '{{proxy-pw}}' } });
    assert.equal(ok.status, 201);
    const { config } = await readStoreConfig(h.store, { serviceName: 'gatehouse', sealer: h.box });
    assert.deepEqual(config.backends.find((b) => b.name === 'x')?.proxy, { url: 'http://proxy.test:3128', username: 'u', password: '{{proxy-pw}}' });
    // The gateway substitutes the named value when it builds its snapshot.
    const snapshot = buildSnapshot(config, { policies: policyRegistry, version: 1 });
    assert.deepEqual(snapshot.catalog.backends.get('x')?.proxy, { url: 'http://proxy.test:3128', username: 'u', password: 'from-a-secret' });
  });
});
