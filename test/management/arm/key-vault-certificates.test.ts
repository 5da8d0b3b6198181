/**
 * Key Vault certificates through the management API (CertificateCreateOrUpdateProperties'
 * `keyVault`): the PFX is read through the SecretProvider port at PUT and shown as subject,
 * thumbprint and expirationDate with `keyVault.lastStatus`; what cannot be read or is not a PFX
 * is refused; `refreshSecret` and the periodic refresh take a rotated certificate, keep the last
 * good one on failure, and the gateway's configuration follows; the APIOps export writes the
 * reference only and the import reads it again. The vault here is a map behind the port (the
 * real SDK against a loopback vault is test/e2e/key-vault-named-values.test.ts).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SecretResolutionError, type SecretProvider } from '../../../src/core/secret-provider.js';
import { refreshNamedValueSecrets } from '../../../src/management/arm/refresh-named-value-secrets.js';
import { exportStoreToFolder } from '../../../src/management/apiops-sync/export-store-to-folder.js';
import { importFolderToStore, importServicePath } from '../../../src/management/apiops-sync/import-folder-to-store.js';
import { serviceConfigFromEntities } from '../../../src/management/store-config/service-config-from-entities.js';
import { SqliteEntityStore } from '../../../src/store/sqlite-entity-store.js';
import { startManagement, type ManagementHarness } from './arm-harness.js';
import { packPfx, selfSignedCertificate, type ClientPfx } from '../../helpers/tls-test-servers.js';

const vaultUrl = 'https://contoso.vault.azure.net';
/** The vault's secrets by name; a certificate's secret is its PFX without password, base64. */
const secrets = new Map<string, string>();
const vault: SecretProvider = {
  async resolve(reference) {
    const name = reference.identifier.slice(`${vaultUrl}/secrets/`.length);
    const value = secrets.get(name);
    if (value === undefined) throw new SecretResolutionError('SecretNotFound', `A secret with (name/id) ${name} was not found in this key vault.`);
    return value;
  },
};
const identifier = (name: string): string => `${vaultUrl}/secrets/${name}`;

describe('Key Vault certificates', () => {
  let m: ManagementHarness;
  let first: ClientPfx;
  let second: ClientPfx;
  const temp: string[] = [];
  before(async () => {
    m = await startManagement({ secrets: vault });
    first = packPfx(await selfSignedCertificate('first-client'), '');
    second = packPfx(await selfSignedCertificate('second-client'), '');
    secrets.set('client-cert', first.pfx);
  });
  after(async () => {
    await m.close();
    for (const d of temp) rmSync(d, { recursive: true, force: true });
  });
  const put = (name: string, properties: Record<string, unknown>) => m.call('PUT', `certificates/${name}`, { body: { properties } });

  it('reads the PFX from the vault at PUT and shows it with lastStatus, never the data', async () => {
    const created = await put('kv', { keyVault: { secretIdentifier: identifier('client-cert') } });
    assert.equal(created.status, 201, created.text);
    const p = created.body.properties;
    assert.equal(p.thumbprint, first.thumbprint.toUpperCase());
    assert.equal(p.subject, 'CN=first-client');
    assert.match(p.expirationDate, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(p.keyVault.secretIdentifier, identifier('client-cert'));
    assert.equal(p.keyVault.lastStatus.code, 'Success');
    assert.equal(p.data, undefined);
    const stored = await m.store.get('certificates/kv');
    assert.notEqual(stored!.body.data, first.pfx, 'sealed at rest');
    // A body read with GET (lastStatus included) can be sent back.
    const again = await put('kv', (await m.call('GET', 'certificates/kv')).body.properties);
    assert.equal(again.status, 200, again.text);
  });

  it('refuses what cannot be read or is not a PKCS#12 certificate, storing nothing', async () => {
    secrets.set('pem-cert', `${first.cert}${first.key}`);
    secrets.set('not-a-cert', 'c2VjcmV0');
    const cases: Array<[Record<string, unknown>, string, RegExp]> = [
      [{ keyVault: { secretIdentifier: identifier('no-such-secret') } }, 'keyVault', /SecretNotFound|was not found/],
      [{ keyVault: { secretIdentifier: identifier('pem-cert') } }, 'keyVault', /PEM certificate/],
      [{ keyVault: { secretIdentifier: identifier('not-a-cert') } }, 'keyVault', /not a usable certificate/],
      [{ keyVault: { secretIdentifier: 'http://contoso.vault.azure.net/secrets/x' } }, 'keyVault.secretIdentifier', /not a valid Key Vault secret identifier/],
      [{ keyVault: { secretIdentifier: identifier('client-cert'), identityClientId: 'not-a-guid' } }, 'identityClientId', /GUID/],
      [{ keyVault: { secretIdentifier: identifier('client-cert') }, data: first.pfx }, 'data', /cannot be given with 'keyVault'/],
      [{ keyVault: { secretIdentifier: identifier('client-cert'), thumbprint: 'x' } }, 'keyVault.thumbprint', /./],
    ];
    for (const [properties, target, message] of cases) {
      const r = await put('refused', properties);
      assert.equal(r.status, 400, r.text);
      assert.equal(r.body.error.details[0].target, target, r.text);
      assert.match(r.body.error.details[0].message, message, r.text);
      assert.equal((await m.call('GET', 'certificates/refused')).status, 404);
    }
  });

  it('refreshSecret takes a rotated certificate, keeps the last good one on failure, and the gateway config follows', async () => {
    secrets.set('client-cert', second.pfx);
    const refreshed = await m.call('POST', 'certificates/kv/refreshSecret');
    assert.equal(refreshed.status, 200, refreshed.text);
    assert.equal(refreshed.body.properties.thumbprint, second.thumbprint.toUpperCase());
    assert.equal(refreshed.body.properties.keyVault.lastStatus.code, 'Success');
    const config = serviceConfigFromEntities(await m.store.all(), { serviceName: 'gatehouse', sealer: m.box });
    assert.equal(config.certificates?.find((c) => c.name === 'kv')?.data, second.pfx, 'backends present the new certificate');

    secrets.delete('client-cert');
    const failed = await m.call('POST', 'certificates/kv/refreshSecret');
    assert.equal(failed.status, 200, failed.text);
    assert.equal(failed.body.properties.keyVault.lastStatus.code, 'SecretNotFound');
    assert.equal(failed.body.properties.thumbprint, second.thumbprint.toUpperCase(), 'the last good certificate stays');
    secrets.set('client-cert', 'bm90IGEgcGZ4');
    const invalid = await m.call('POST', 'certificates/kv/refreshSecret');
    assert.equal(invalid.body.properties.keyVault.lastStatus.code, 'InvalidCertificate');
    assert.equal(invalid.body.properties.thumbprint, second.thumbprint.toUpperCase());

    const uploaded = packPfx(await selfSignedCertificate('uploaded'), 'pw');
    assert.equal((await put('uploaded', { data: uploaded.pfx, password: uploaded.password })).status, 201);
    assert.equal((await m.call('POST', 'certificates/uploaded/refreshSecret')).status, 400, 'an uploaded certificate has nothing to refresh');
  });

  it('the periodic refresh reads Key Vault certificates with the named values', async () => {
    secrets.set('client-cert', first.pfx);
    const summary = await refreshNamedValueSecrets({ store: m.store, sealer: m.box, secrets: vault, service: importServicePath('gatehouse'), now: () => new Date(), actor: 'refresh' });
    assert.equal(summary.changed, 1, JSON.stringify(summary));
    assert.deepEqual(summary.failed, []);
    const got = await m.call('GET', 'certificates/kv');
    assert.equal(got.body.properties.thumbprint, first.thumbprint.toUpperCase());
    assert.equal(got.body.properties.keyVault.lastStatus.code, 'Success');
    const unchanged = await refreshNamedValueSecrets({ store: m.store, sealer: m.box, secrets: vault, service: importServicePath('gatehouse'), now: () => new Date(), actor: 'refresh' });
    assert.equal(unchanged.changed, 0);
  });

  it('exports the reference only, and an import reads the certificate from the vault again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gatehouse-kv-certs-'));
    temp.push(dir);
    await exportStoreToFolder(m.store, m.box, join(dir, 'out'), { exportSecrets: true });
    const file = JSON.parse(readFileSync(join(dir, 'out/certificates/kv/certificateInformation.json'), 'utf8'));
    assert.deepEqual(file, { properties: { keyVault: { secretIdentifier: identifier('client-cert') } } });

    const target = await SqliteEntityStore.open({ dataDir: join(dir, 'data') });
    try {
      const result = await importFolderToStore(join(dir, 'out'), target, m.box, 'importer', { secrets: vault });
      assert.deepEqual(result.warnings, []);
      const imported = await target.get('certificates/kv');
      assert.equal(imported!.body.thumbprint, first.thumbprint.toUpperCase());
      secrets.delete('client-cert');
      const unreadable = await importFolderToStore(join(dir, 'out'), target, m.box, 'importer', { secrets: vault });
      assert.match(unreadable.warnings.join('\n'), /Key Vault certificate 'kv' cannot be read \(SecretNotFound/);
      const kept = await target.get('certificates/kv');
      assert.equal(kept!.body.thumbprint, first.thumbprint.toUpperCase(), 'an unreadable vault keeps the last good certificate');
      assert.equal((kept!.body.keyVault as { lastStatus: { code: string } }).lastStatus.code, 'SecretNotFound');
    } finally {
      await target.close();
    }
  });
});
