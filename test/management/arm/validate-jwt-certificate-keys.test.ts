/**
 * validate-jwt's `<key certificate-id="…"/>` against the `certificates` resource, through the
 * real management API and store: a policy naming a stored certificate is accepted at save time
 * and compiles into the gateway's snapshot; one naming no certificate is Azure's 400. A Key Vault
 * certificate (a PFX without password read through the secret port) decrypts tokens too.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildSnapshot } from '../../../src/gateway/snapshot/build-snapshot.js';
import { readStoreConfig } from '../../../src/management/store-config/read-store-config.js';
import { policyRegistry } from '../../../src/policies/index.js';
import type { SecretProvider } from '../../../src/core/secret-provider.js';
import { packPfx, selfSignedCertificate } from '../../helpers/tls-test-servers.js';
import { startManagement, type ManagementHarness } from './arm-harness.js';

const policy = (certificateId: string) =>
  `<policies><inbound><validate-jwt header-name="Authorization"><issuer-signing-keys><key certificate-id="${certificateId}" /></issuer-signing-keys></validate-jwt></inbound></policies>`;

describe('management API: validate-jwt certificate-id keys', () => {
  let h: ManagementHarness;
  before(async () => {
    h = await startManagement();
  });
  after(() => h.close());

  it('accepts a stored certificate by name, refuses an unknown one, and the snapshot compiles', async () => {
    const pfx = packPfx(await selfSignedCertificate('token-issuer'), 'pfx-pass');
    assert.equal((await h.call('PUT', 'certificates/issuer', { body: { properties: { data: pfx.pfx, password: pfx.password } } })).status, 201);
    assert.equal((await h.call('PUT', 'apis/echo', { body: { properties: { displayName: 'echo', path: 'echo', protocols: ['https'] } } })).status, 201);
    const unknown = await h.call('PUT', 'apis/echo/policies/policy', { body: { properties: { format: 'rawxml', value: policy('ghost') } } });
    assert.equal(unknown.status, 400);
    assert.match(unknown.body.error.details[0].message, /Certificate with id 'ghost' could not be found\./);
    const saved = await h.call('PUT', 'apis/echo/policies/policy', { body: { properties: { format: 'rawxml', value: policy('Issuer') } } });
    assert.ok(saved.status === 200 || saved.status === 201, saved.text);
    const { config } = await readStoreConfig(h.store, { serviceName: 'gatehouse', sealer: h.box });
    assert.doesNotThrow(() => buildSnapshot(config, { policies: policyRegistry, version: 1 }));
  });
});

describe('management API: validate-jwt decryption keys from a Key Vault certificate', () => {
  const secrets = new Map<string, string>();
  const vault: SecretProvider = {
    async resolve(reference) {
      return secrets.get(reference.identifier) ?? '';
    },
  };
  const decrypting = (certificateId: string) =>
    `<policies><inbound><validate-jwt header-name="Authorization"><issuer-signing-keys><key>${Buffer.alloc(32, 7).toString('base64')}</key></issuer-signing-keys><decryption-keys><key certificate-id="${certificateId}" /></decryption-keys></validate-jwt></inbound></policies>`;
  let h: ManagementHarness;
  before(async () => {
    h = await startManagement({ secrets: vault });
  });
  after(() => h.close());

  it("accepts the vault's RSA PFX (no password) for decryption, refuses its EC one, and the snapshot compiles", async () => {
    secrets.set('https://contoso.vault.azure.net/secrets/rsa', packPfx(await selfSignedCertificate('vault-rsa', {}, 'rsa'), '').pfx);
    secrets.set('https://contoso.vault.azure.net/secrets/ec', packPfx(await selfSignedCertificate('vault-ec'), '').pfx);
    for (const name of ['rsa', 'ec']) {
      const stored = await h.call('PUT', `certificates/${name}`, { body: { properties: { keyVault: { secretIdentifier: `https://contoso.vault.azure.net/secrets/${name}` } } } });
      assert.equal(stored.status, 201, stored.text);
    }
    assert.equal((await h.call('PUT', 'apis/vault', { body: { properties: { displayName: 'vault', path: 'vault', protocols: ['https'] } } })).status, 201);
    const refused = await h.call('PUT', 'apis/vault/policies/policy', { body: { properties: { format: 'rawxml', value: decrypting('ec') } } });
    assert.equal(refused.status, 400);
    assert.match(refused.body.error.details[0].message, /The certificate 'ec' cannot decrypt tokens: its key is ec/);
    const saved = await h.call('PUT', 'apis/vault/policies/policy', { body: { properties: { format: 'rawxml', value: decrypting('rsa') } } });
    assert.ok(saved.status === 200 || saved.status === 201, saved.text);
    const { config } = await readStoreConfig(h.store, { serviceName: 'gatehouse', sealer: h.box });
    assert.doesNotThrow(() => buildSnapshot(config, { policies: policyRegistry, version: 1 }));
  });
});
