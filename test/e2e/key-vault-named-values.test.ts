/**
 * Issue 14 §4 end to end: Key Vault named values (and certificates, whose PFX a backend is then
 * presented as client certificate) read by the real `@azure/keyvault-secrets` SDK
 * with a real `@azure/identity` managed identity credential, in a real `gatehouse start`
 * process. Azure cannot be reached here, so a loopback vault speaks Key Vault's protocol over
 * HTTPS (helpers/loopback-key-vault.ts) under a vault-like host name, and the process is
 * configured only as a user would configure it: NODE_EXTRA_CA_CERTS trusts the vault's
 * certificate, IDENTITY_ENDPOINT/IDENTITY_HEADER are the managed identity endpoint the SDK
 * honours, GATEHOUSE_SECRET_REFRESH_INTERVAL shortens the refresh. The host name resolves
 * through an /etc/hosts bind-mounted in a private mount namespace of the process (so the SDK's
 * challenge-resource check stays on); that needs root and unshare: elsewhere the test skips
 * with the reason, and under CI=true it fails.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startGatehouseProcess, type GatehouseProcess } from './helpers/gatehouse-process.js';
import { keyVaultProcessOptions, keyVaultProcessUnavailable } from './helpers/key-vault-process.js';
import { startLoopbackKeyVault, type LoopbackKeyVault } from './helpers/loopback-key-vault.js';
import { managementClient, type ManagementAnswer } from './helpers/management-client.js';
import { waitFor } from './helpers/wait-for.js';
import { packPfx, selfSignedCertificate, startHttpsBackend, type RunningServer } from '../helpers/tls-test-servers.js';

const vaultHost = 'contoso.vault.gatehouse.test';
const audience = 'https://vault.gatehouse.test';
const service = '/subscriptions/sub-kv/resourceGroups/rg-kv/providers/Microsoft.ApiManagement/service/gatehouse';
const clientId = 'ceaa6b06-c00f-43ef-99ac-f53d1fe876a0';

const unavailable = keyVaultProcessUnavailable('Key Vault e2e');

const policy = `<policies><inbound><base /><return-response><set-status code="200" reason="OK" /><set-body>{{vault-secret}}</set-body></return-response></inbound><backend><base /></backend><outbound><base /></outbound><on-error><base /></on-error></policies>`;

describe('Key Vault named values through the Azure SDK', { skip: unavailable, timeout: 180_000 }, () => {
  let vault: LoopbackKeyVault;
  let gh: GatehouseProcess;
  let call: (method: string, path: string, body?: unknown) => Promise<ManagementAnswer>;
  const gatewayBody = async (): Promise<string> => (await (await fetch(`${gh.gatewayUrl}/kv/read`)).text());
  const listValue = async (name: string): Promise<string> => (await call('POST', `namedValues/${name}/listValue`)).body.value;

  before(async () => {
    vault = await startLoopbackKeyVault(vaultHost, audience);
    vault.secrets.set('backend-key', 'first-from-the-vault');
    vault.secrets.set('other', 'system-identity-secret');
    gh = await startGatehouseProcess([], keyVaultProcessOptions(vault, vaultHost, { GATEHOUSE_SECRET_REFRESH_INTERVAL: '1' }));
    call = managementClient(gh, service);
  });
  after(async () => {
    await gh?.stop();
    await vault?.close();
  });

  it('reads the secret at PUT with the user-assigned identity and shows lastStatus', async () => {
    const created = await call('PUT', 'namedValues/vault-secret', {
      properties: { displayName: 'vault-secret', secret: true, keyVault: { secretIdentifier: `${vault.vaultUrl}/secrets/backend-key`, identityClientId: clientId } },
    });
    assert.equal(created.status, 201, created.text);
    assert.deepEqual(Object.keys(created.body.properties.keyVault).sort(), ['identityClientId', 'lastStatus', 'secretIdentifier']);
    assert.equal(created.body.properties.keyVault.lastStatus.code, 'Success');
    assert.equal(created.body.properties.value, undefined);
    assert.ok(vault.tokenRequests.includes(clientId), `the token was asked for the user-assigned identity: ${JSON.stringify(vault.tokenRequests)}`);
    assert.ok(vault.authorizedReads >= 1);
    assert.equal(await listValue('vault-secret'), 'first-from-the-vault');
  });

  it('without identityClientId, DefaultAzureCredential (here the managed identity) reads it', async () => {
    const r = await call('PUT', 'namedValues/system-identity', { properties: { displayName: 'system-identity', keyVault: { secretIdentifier: `${vault.vaultUrl}/secrets/other` } } });
    assert.equal(r.status, 201, r.text);
    assert.ok(vault.tokenRequests.includes(''), `a token for the system-assigned identity: ${JSON.stringify(vault.tokenRequests)}`);
    assert.equal(await listValue('system-identity'), 'system-identity-secret');
  });

  it('refuses a secret the vault does not have with 400, naming Key Vault\'s error', async () => {
    const r = await call('PUT', 'namedValues/missing', { properties: { displayName: 'missing', keyVault: { secretIdentifier: `${vault.vaultUrl}/secrets/no-such-secret`, identityClientId: clientId } } });
    assert.equal(r.status, 400, r.text);
    assert.equal(r.body.error.code, 'ValidationError');
    assert.match(r.body.error.details[0].message, /SecretNotFound|404/);
  });

  it('the gateway serves the value in a policy ({{name}})', async () => {
    const api = await call('PUT', 'apis/kv', { properties: { displayName: 'kv', path: 'kv', protocols: ['http'], serviceUrl: 'http://127.0.0.1:9', subscriptionRequired: false } });
    assert.ok(api.status === 201 || api.status === 200, api.text);
    const op = await call('PUT', 'apis/kv/operations/read', { properties: { displayName: 'read', method: 'GET', urlTemplate: '/read' } });
    assert.ok(op.status === 201 || op.status === 200, op.text);
    const saved = await call('PUT', 'apis/kv/policies/policy', { properties: { format: 'xml', value: policy } });
    assert.ok(saved.status === 201 || saved.status === 200, saved.text);
    await waitFor('the gateway to serve the vault secret', async () => (await gatewayBody()) === 'first-from-the-vault', gh);
  });

  it('refreshSecret and the periodic refresh pick up a changed secret, and the gateway follows', async () => {
    vault.secrets.set('backend-key', 'second-from-the-vault');
    const refreshed = await call('POST', 'namedValues/vault-secret/refreshSecret');
    assert.equal(refreshed.status, 200, refreshed.text);
    assert.equal(refreshed.body.properties.keyVault.lastStatus.code, 'Success');
    assert.equal(await listValue('vault-secret'), 'second-from-the-vault');
    await waitFor('the gateway to serve the refreshed secret', async () => (await gatewayBody()) === 'second-from-the-vault', gh);

    // No request this time: the periodic refresh (every second here) reads the vault.
    vault.secrets.set('backend-key', 'third-from-the-vault');
    await waitFor('the periodic refresh to reach the gateway', async () => (await gatewayBody()) === 'third-from-the-vault', gh, 30_000);
  });

  it('a Key Vault certificate is presented to the backend, and a rotated one after refresh', async () => {
    // Key Vault keeps a certificate's PFX, without password, as the secret of its name.
    const first = packPfx(await selfSignedCertificate('vault-client-one'), '');
    const second = packPfx(await selfSignedCertificate('vault-client-two'), '');
    vault.secrets.set('client-cert', first.pfx);
    const backend: RunningServer = await startHttpsBackend(await selfSignedCertificate('mtls-backend'), { requestCert: true });
    try {
      const cert = await call('PUT', 'certificates/vault-client', { properties: { keyVault: { secretIdentifier: `${vault.vaultUrl}/secrets/client-cert`, identityClientId: clientId } } });
      assert.equal(cert.status, 201, cert.text);
      assert.equal(cert.body.properties.keyVault.lastStatus.code, 'Success');
      assert.equal(cert.body.properties.subject, 'CN=vault-client-one');
      const steps: Array<[string, unknown]> = [
        ['backends/mtls', { url: backend.url, protocol: 'http', tls: { validateCertificateChain: false, validateCertificateName: false }, credentials: { certificateIds: ['/certificates/vault-client'] } }],
        ['apis/mtls', { displayName: 'mtls', path: 'mtls', protocols: ['http'], serviceUrl: backend.url, subscriptionRequired: false }],
        ['apis/mtls/operations/who', { displayName: 'who', method: 'GET', urlTemplate: '/who' }],
        ['apis/mtls/policies/policy', { format: 'rawxml', value: '<policies><inbound><base /><set-backend-service backend-id="mtls" /></inbound><backend><base /></backend><outbound><base /></outbound><on-error><base /></on-error></policies>' }],
      ];
      for (const [path, properties] of steps) {
        const r = await call('PUT', path, { properties });
        assert.ok(r.status === 200 || r.status === 201, `${path}: ${r.text}`);
      }
      const presented = async (): Promise<string | null> => {
        const res = await fetch(`${gh.gatewayUrl}/mtls/who`);
        return res.ok ? ((await res.json()) as { clientCertificate: string | null }).clientCertificate : `HTTP ${res.status}`;
      };
      await waitFor('the backend to be presented the vault certificate', async () => (await presented()) === 'vault-client-one', gh);

      vault.secrets.set('client-cert', second.pfx);
      const refreshed = await call('POST', 'certificates/vault-client/refreshSecret');
      assert.equal(refreshed.status, 200, refreshed.text);
      assert.equal(refreshed.body.properties.subject, 'CN=vault-client-two');
      await waitFor('the backend to be presented the rotated certificate', async () => (await presented()) === 'vault-client-two', gh);
    } finally {
      await backend.close();
    }
  });

  it('with the vault down, the last good value keeps serving and lastStatus shows the failure', async () => {
    await vault.stopVault();
    const r = await call('POST', 'namedValues/vault-secret/refreshSecret');
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.properties.keyVault.lastStatus.code, 'VaultUnreachable', JSON.stringify(r.body.properties.keyVault));
    assert.match(r.body.properties.keyVault.lastStatus.message, /could not be reached/);
    assert.equal(await listValue('vault-secret'), 'third-from-the-vault');
    assert.equal(await gatewayBody(), 'third-from-the-vault');
    const got = await call('GET', 'namedValues/vault-secret');
    assert.equal(got.body.properties.keyVault.lastStatus.code, 'VaultUnreachable');
    assert.ok(!gh.stderr.join('').includes('third-from-the-vault'), 'the secret never reaches the log');
  });
});
