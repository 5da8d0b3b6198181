/**
 * Export then import round-trips every resource (issue 3 §6): a store filled through the real
 * management API is exported to an APIOps folder and imported into empty SQLite and PostgreSQL
 * stores; the stored bodies are the same (ETags, dates and sealing aside). Without the
 * export-secrets option the folder carries no secret, and the import says what it did instead.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EntityStore } from '../../../src/core/entity-store.js';
import { exportStoreToFolder } from '../../../src/management/apiops-sync/export-store-to-folder.js';
import { importFolderToStore } from '../../../src/management/apiops-sync/import-folder-to-store.js';
import { SecretBox } from '../../../src/store/secret-box.js';
import { SqliteEntityStore } from '../../../src/store/sqlite-entity-store.js';
import { startManagement, type ManagementHarness } from '../arm/arm-harness.js';
import { importAndServe } from '../apiops/import-served.js';
import { serviceConfigFromEntities } from '../../../src/management/store-config/service-config-from-entities.js';
import { comparableConfig } from './comparable-config.js';
import { populateStore } from './populate-store.js';
import { postgresSkip, withPostgresStore } from './postgres-target.js';
import { storedState } from './stored-state.js';

const temp: string[] = [];
const tempDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'gatehouse-ie-'));
  temp.push(d);
  return d;
};

describe('export then import', () => {
  let m: ManagementHarness;
  let withSecrets: string;
  let withoutSecrets: string;
  let omitted: string[];

  before(async () => {
    m = await startManagement();
    await populateStore(m);
    withSecrets = join(tempDir(), 'with-secrets');
    await exportStoreToFolder(m.store, m.box, withSecrets, { exportSecrets: true });
    withoutSecrets = join(tempDir(), 'without-secrets');
    omitted = (await exportStoreToFolder(m.store, m.box, withoutSecrets)).omittedSecrets;
  });
  after(async () => {
    await m.close();
    for (const d of temp) rmSync(d, { recursive: true, force: true });
  });

  async function roundTrip(target: EntityStore): Promise<void> {
    const box = new SecretBox(randomBytes(32));
    const result = await importFolderToStore(withSecrets, target, box, 'importer', { mode: 'merge' });
    assert.deepEqual(result.warnings, []);
    assert.deepEqual(await storedState(target, box), await storedState(m.store, m.box));
    const audit = await target.audit();
    assert.ok(audit.length > 0 && audit.every((r) => r.actor === 'importer'), 'the import is audited under its actor');
    assert.equal(await target.version(), 1, 'one transaction');
  }

  it('writes the extractor layout', () => {
    for (const file of [
      'policy.xml',
      'apis/echo/apiInformation.json',
      'apis/echo/policy.xml',
      'apis/echo/operations/get-item/operationInformation.json',
      'apis/echo/operations/get-item/policy.xml',
      'apis/echo;rev=1/apiInformation.json',
      'apis/echo/releases/r1/apiReleaseInformation.json',
      'version sets/vs1/versionSetInformation.json',
      'named values/secret/namedValueInformation.json',
      'backends/pool/backendInformation.json',
      'policy fragments/frag1/policy.xml',
      'policy fragments/frag1/policyFragmentInformation.json',
      'products/gold/productInformation.json',
      'products/gold/policy.xml',
      'products/gold/apis/echo/productApiInformation.json',
      'products/gold/groups/partners/productGroupInformation.json',
      'subscriptions/s1/subscriptionInformation.json',
      'groups/partners/groupInformation.json',
      'users/alice/userInformation.json',
      'gateways/gw1/gatewayInformation.json',
      'gateways/gw1/apis/echo/gatewayApiInformation.json',
      'gateways/gw1/hostnameConfigurations/default/gatewayHostnameConfigurationInformation.json',
      'gateways/gw1/certificateAuthorities/ca1/gatewayCertificateAuthorityInformation.json',
      'certificates/ca1/certificateInformation.json',
      'identityProviders/aad/identityProviderInformation.json',
      'authorizationServers/oauth1/authorizationServerInformation.json',
      'openidConnectProviders/oidc1/openidConnectProviderInformation.json',
    ]) {
      assert.ok(existsSync(join(withSecrets, file)), `${file} exists`);
    }
    assert.ok(!existsSync(join(withSecrets, 'groups/developers')), 'built-in groups are not exported');
    const api = JSON.parse(readFileSync(join(withSecrets, 'apis/echo/apiInformation.json'), 'utf8'));
    assert.equal(api.properties.apiRevision, '2');
    assert.equal(api.properties.isCurrent, true);
    const sub = JSON.parse(readFileSync(join(withSecrets, 'subscriptions/s1/subscriptionInformation.json'), 'utf8'));
    assert.equal(sub.properties.scope, '/products/gold');
    assert.equal(sub.properties.ownerId, '/users/alice');
    assert.equal(sub.properties.primaryKey, 'primary-key-0001');
    const user = JSON.parse(readFileSync(join(withSecrets, 'users/alice/userInformation.json'), 'utf8'));
    assert.deepEqual([...user.properties.groups].sort(), ['developers', 'partners']);
    assert.equal(user.properties.password, undefined, 'a password is a hash and never exported, even with secrets');
    const policy = readFileSync(join(withSecrets, 'apis/echo/operations/get-item/policy.xml'), 'utf8');
    assert.match(policy, /\{\{secret-value\}\}/);
  });

  it('leaves secrets out unless asked', () => {
    assert.deepEqual(omitted, [
      'authorizationServers/oauth1',
      'certificates/ca1',
      'identityProviders/aad',
      'named values/secret',
      'openidConnectProviders/oidc1',
      'subscriptions/s1',
      'subscriptions/s2',
      'subscriptions/s3',
    ]);
    for (const file of ['identityProviders/aad/identityProviderInformation.json', 'authorizationServers/oauth1/authorizationServerInformation.json', 'openidConnectProviders/oidc1/openidConnectProviderInformation.json']) {
      const text = readFileSync(join(withoutSecrets, file), 'utf8');
      assert.ok(!/-secret|clientSecret/.test(text), `${file} holds no secret`);
    }
    const gateway = readFileSync(join(withSecrets, 'gateways/gw1/gatewayInformation.json'), 'utf8');
    assert.ok(!/primaryKey|secondaryKey/.test(gateway), 'gateway keys are never exported');
    const nv = JSON.parse(readFileSync(join(withoutSecrets, 'named values/secret/namedValueInformation.json'), 'utf8'));
    assert.equal(nv.properties.secret, true);
    assert.equal('value' in nv.properties, false);
    const sub = JSON.parse(readFileSync(join(withoutSecrets, 'subscriptions/s1/subscriptionInformation.json'), 'utf8'));
    assert.equal('primaryKey' in sub.properties, false);
    const plain = JSON.parse(readFileSync(join(withoutSecrets, 'named values/plain/namedValueInformation.json'), 'utf8'));
    assert.equal(plain.properties.value, 'hello');
  });

  it('serves as a --config folder: start --config on it gives the gateway the model the exported store gives', async () => {
    const served = await importAndServe(withSecrets);
    const fromStore = serviceConfigFromEntities(await m.store.all(), { serviceName: 'gatehouse', sealer: m.box });
    assert.deepEqual(comparableConfig(served.config), comparableConfig(fromStore));
  });

  it('refuses to export into a folder that is not empty', async () => {
    await assert.rejects(exportStoreToFolder(m.store, m.box, withSecrets), /is not empty/);
  });

  it('round-trips every resource into an empty SQLite store', async () => {
    const target = await SqliteEntityStore.open({ dataDir: tempDir() });
    try {
      await roundTrip(target);
    } finally {
      await target.close();
    }
  });

  it('round-trips every resource into an empty PostgreSQL store', async (t) => {
    const skip = await postgresSkip();
    if (skip) return t.skip(skip);
    await withPostgresStore(roundTrip);
  });

  it('imports a folder without secrets: new secrets are empty or generated, and said so', async () => {
    const target = await SqliteEntityStore.open({ dataDir: tempDir() });
    const box = new SecretBox(randomBytes(32));
    try {
      // A certificate is its PFX: without the file there is nothing to create, so it is refused.
      await assert.rejects(importFolderToStore(withoutSecrets, target, box, 'importer'), /certificates\/ca1\/certificateInformation\.json: .*'data' is required/);
      const withoutCertificates = join(tempDir(), 'without-certificates');
      cpSync(withoutSecrets, withoutCertificates, { recursive: true });
      rmSync(join(withoutCertificates, 'certificates'), { recursive: true });
      rmSync(join(withoutCertificates, 'gateways/gw1/certificateAuthorities'), { recursive: true });
      const result = await importFolderToStore(withoutCertificates, target, box, 'importer');
      assert.deepEqual(result.warnings, [
        "named values/secret/namedValueInformation.json: secret named value 'secret' has no value in the folder; imported with an empty value (set it with the management API)",
        "identityProviders/aad/identityProviderInformation.json: identity provider 'aad' has no clientSecret in the folder; imported without one (set it with the management API)",
      ]);
      assert.equal((await target.get('identityProviders/aad'))!.body.clientSecret, undefined);
      assert.equal((await target.get('authorizationServers/oauth1'))!.body.clientSecret, undefined);
      const nv = await target.get('namedValues/secret');
      assert.equal(box.open(String(nv!.body.value)), '');
      const s1 = await target.get('subscriptions/s1');
      const key = box.open(String(s1!.body.primaryKey));
      assert.match(key, /^[0-9a-f]{32}$/, 'a new key is generated');
      assert.notEqual(key, 'primary-key-0001');
      assert.equal((await target.get('users/alice'))!.body.password, undefined);
    } finally {
      await target.close();
    }
  });

  it('keeps the stored secrets when re-importing a folder without them', async () => {
    const before = await storedState(m.store, m.box);
    await importFolderToStore(withoutSecrets, m.store, m.box, 'importer', { mode: 'replace' });
    assert.deepEqual(await storedState(m.store, m.box), before);
  });
});
