/**
 * Key Vault named values through the management API (issue 14 §4), with the real secret
 * resolver reading `env:` and `file:` references: resolution at PUT, Azure's 400 when the
 * secret cannot be read or the reference is not one the operator allowed, the GET shape with `lastStatus`, `listValue`, `refreshSecret`, the
 * last good value kept through a failed read, and the periodic refresh pass's store versions.
 * The Key Vault SDK path is proven end to end in test/e2e/key-vault-named-values.test.ts.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { refreshNamedValueSecrets } from '../../../src/management/arm/refresh-named-value-secrets.js';
import { createSecretResolver } from '../../../src/secrets/secret-resolver.js';
import { startManagement, type ManagementHarness } from './arm-harness.js';

const env: NodeJS.ProcessEnv = {};
const files = mkdtempSync(join(tmpdir(), 'gatehouse-kv-files-'));
const denied = mkdtempSync(join(tmpdir(), 'gatehouse-kv-data-'));
const outside = mkdtempSync(join(tmpdir(), 'gatehouse-kv-outside-'));
// What the operator opened (--secret-env, --secret-files); the data folder is opened too, to show it stays refused.
const allowed = { environment: ['BACKEND_KEY', 'NOT_SET_ANYWHERE', 'GATEHOUSE_ADMIN_TOKEN', 'ROTATED', 'PATCHED', 'PERIODIC', 'HEADER_*'], fileFolders: [files, denied] };
const put = (h: ManagementHarness, name: string, properties: Record<string, unknown>) => h.call('PUT', `namedValues/${name}`, { body: { properties } });
const valueOf = async (h: ManagementHarness, name: string): Promise<unknown> => (await h.call('POST', `namedValues/${name}/listValue`)).body.value;

describe('Key Vault named values with env: and file: references', () => {
  let h: ManagementHarness;
  before(async () => {
    h = await startManagement({ secrets: createSecretResolver({ env, deniedFolders: [denied], allowed }) });
  });
  after(() => h.close());

  it('reads the secret at PUT, stores it sealed and shows keyVault with lastStatus as Azure does', async () => {
    env.BACKEND_KEY = 'first-secret-value';
    const created = await put(h, 'backend-key', { displayName: 'backend-key', keyVault: { secretIdentifier: 'env:BACKEND_KEY' }, tags: ['kv'] });
    assert.equal(created.status, 201, created.text);
    const got = await h.call('GET', 'namedValues/backend-key');
    assert.equal(got.body.properties.secret, true);
    assert.equal(got.body.properties.value, undefined, 'the value is never in a GET');
    assert.equal(got.body.properties.keyVault.secretIdentifier, 'env:BACKEND_KEY');
    assert.equal(got.body.properties.keyVault.lastStatus.code, 'Success');
    assert.ok(!Number.isNaN(Date.parse(got.body.properties.keyVault.lastStatus.timeStampUtc)));
    assert.equal(await valueOf(h, 'backend-key'), 'first-secret-value');
    const stored = await h.store.get('namedValues/backend-key');
    assert.ok(!JSON.stringify(stored!.body).includes('first-secret-value'), 'sealed at rest');
  });

  it('refuses a secret it cannot read with 400 ValidationError and stores nothing', async () => {
    const missing = await put(h, 'missing', { displayName: 'missing', keyVault: { secretIdentifier: 'env:NOT_SET_ANYWHERE' } });
    assert.equal(missing.status, 400, missing.text);
    assert.equal(missing.body.error.code, 'ValidationError');
    assert.equal(missing.body.error.details[0].target, 'keyVault');
    assert.match(missing.body.error.details[0].message, /NOT_SET_ANYWHERE' is not set/);
    assert.equal((await h.call('GET', 'namedValues/missing')).status, 404);
  });

  it('refuses env: and file: references the operator has not allowed, naming the option that would', async () => {
    env.DATABASE_PASSWORD = 'not-for-the-admin';
    writeFileSync(join(outside, 'shadow'), 'not-for-the-admin');
    const cases: Array<[string, RegExp]> = [
      ['env:DATABASE_PASSWORD', /'env:DATABASE_PASSWORD' is not allowed.*--secret-env \(GATEHOUSE_SECRET_ENV\) DATABASE_PASSWORD/],
      [`file:${join(outside, 'shadow')}`, /is not allowed.*--secret-files \(GATEHOUSE_SECRET_FILES\)/],
      // Outside every allowed folder, a missing file is refused the same way: no existence oracle.
      [`file:${join(outside, 'absent')}`, /is not allowed/],
    ];
    for (const [identifier, message] of cases) {
      const r = await put(h, 'closed', { displayName: 'closed', keyVault: { secretIdentifier: identifier } });
      assert.equal(r.status, 400, r.text);
      assert.equal(r.body.error.code, 'ValidationError');
      assert.equal(r.body.error.details[0].target, 'keyVault');
      assert.match(r.body.error.details[0].message, message);
      assert.ok(!r.text.includes('not-for-the-admin'));
    }
    // A symlink inside an allowed folder that leads out of it is refused too.
    symlinkSync(join(outside, 'shadow'), join(files, 'escape'));
    const escaped = await put(h, 'closed', { displayName: 'closed', keyVault: { secretIdentifier: `file:${join(files, 'escape')}` } });
    assert.equal(escaped.status, 400, escaped.text);
    assert.match(escaped.body.error.details[0].message, /is not allowed/);
    assert.equal((await h.call('GET', 'namedValues/closed')).status, 404);
  });

  it('refuses malformed references, naming the field', async () => {
    const cases: Array<[unknown, string, RegExp]> = [
      [{ secretIdentifier: 'http://contoso.vault.azure.net/secrets/a' }, 'keyVault.secretIdentifier', /not a valid Key Vault secret identifier/],
      [{ secretIdentifier: 'https://contoso.vault.azure.net/keys/a' }, 'keyVault.secretIdentifier', /not a valid Key Vault secret identifier/],
      [{ secretIdentifier: 'file:relative/path' }, 'keyVault.secretIdentifier', /absolute/],
      [{ secretIdentifier: 'file:/etc/../etc/passwd' }, 'keyVault.secretIdentifier', /without '\.\.'/],
      [{ secretIdentifier: 'env:A-B' }, 'keyVault.secretIdentifier', /env:NAME/],
      [{}, 'keyVault.secretIdentifier', /required/],
      [{ secretIdentifier: 'env:BACKEND_KEY', vaultName: 'x' }, 'keyVault.vaultName', /not a known property/],
      [{ secretIdentifier: 'https://contoso.vault.azure.net/secrets/a', identityClientId: 'not-a-guid' }, 'identityClientId', /GUID/],
      [{ secretIdentifier: 'env:BACKEND_KEY', identityClientId: 'ceaa6b06-c00f-43ef-99ac-f53d1fe876a0' }, 'identityClientId', /Key Vault secrets only/],
      ['env:BACKEND_KEY', 'keyVault', /must be an object/],
    ];
    for (const [keyVault, target, message] of cases) {
      const r = await put(h, 'bad', { displayName: 'bad', keyVault });
      assert.equal(r.status, 400, `${JSON.stringify(keyVault)}: ${r.text}`);
      assert.equal(r.body.error.details[0].target, target, JSON.stringify(keyVault));
      assert.match(r.body.error.details[0].message, message);
    }
    const both = await put(h, 'bad', { displayName: 'bad', value: 'x', keyVault: { secretIdentifier: 'env:BACKEND_KEY' } });
    assert.equal(both.status, 400);
    assert.equal(both.body.error.details[0].target, 'value');
  });

  it("never hands out Gatehouse's own settings or files of its data folder", async () => {
    env.GATEHOUSE_ADMIN_TOKEN = 'do-not-leak-this-token';
    const own = await put(h, 'own', { displayName: 'own', keyVault: { secretIdentifier: 'env:GATEHOUSE_ADMIN_TOKEN' } });
    assert.equal(own.status, 400);
    assert.match(own.body.error.details[0].message, /Gatehouse's own settings/);
    writeFileSync(join(denied, 'encryption-key'), 'k');
    const key = await put(h, 'own', { displayName: 'own', keyVault: { secretIdentifier: `file:${join(denied, 'encryption-key')}` } });
    assert.equal(key.status, 400);
    assert.match(key.body.error.details[0].message, /data folder/);
  });

  it('reads file: references without their one trailing line break, and refuses oversized files', async () => {
    writeFileSync(join(files, 'lf'), 'line-secret\n');
    writeFileSync(join(files, 'crlf'), 'crlf-secret\r\n');
    writeFileSync(join(files, 'two'), 'two-breaks\n\n');
    writeFileSync(join(files, 'big'), 'x'.repeat(4097));
    for (const [name, expected] of [['lf', 'line-secret'], ['crlf', 'crlf-secret'], ['two', 'two-breaks\n']] as const) {
      const r = await put(h, `file-${name}`, { displayName: `file-${name}`, keyVault: { secretIdentifier: `file:${join(files, name)}` } });
      assert.equal(r.status, 201, r.text);
      assert.equal(await valueOf(h, `file-${name}`), expected);
    }
    const big = await put(h, 'file-big', { displayName: 'file-big', keyVault: { secretIdentifier: `file:${join(files, 'big')}` } });
    assert.equal(big.status, 400);
    assert.match(big.body.error.details[0].message, /at most 4096/);
    const gone = await put(h, 'file-gone', { displayName: 'file-gone', keyVault: { secretIdentifier: `file:${join(files, 'nothing-here')}` } });
    assert.equal(gone.status, 400);
    assert.match(gone.body.error.details[0].message, /does not exist/);
  });

  it('refreshSecret picks up a changed secret; a failed read keeps the last good value and shows in lastStatus', async () => {
    env.ROTATED = 'version-one';
    assert.equal((await put(h, 'rotated', { displayName: 'rotated', keyVault: { secretIdentifier: 'env:ROTATED' } })).status, 201);
    const firstEtag = (await h.call('GET', 'namedValues/rotated')).headers.get('etag');

    const unchanged = await h.call('POST', 'namedValues/rotated/refreshSecret');
    assert.equal(unchanged.status, 200, unchanged.text);
    assert.equal(unchanged.headers.get('etag'), firstEtag, 'a read that changes nothing writes nothing');

    env.ROTATED = 'version-two';
    const refreshed = await h.call('POST', 'namedValues/rotated/refreshSecret');
    assert.equal(refreshed.status, 200);
    assert.equal(refreshed.body.properties.keyVault.lastStatus.code, 'Success');
    assert.equal(refreshed.body.properties.value, undefined);
    assert.notEqual(refreshed.headers.get('etag'), firstEtag);
    assert.equal(await valueOf(h, 'rotated'), 'version-two');

    delete env.ROTATED;
    const failed = await h.call('POST', 'namedValues/rotated/refreshSecret');
    assert.equal(failed.status, 200);
    assert.equal(failed.body.properties.keyVault.lastStatus.code, 'SecretNotFound');
    assert.match(failed.body.properties.keyVault.lastStatus.message, /ROTATED' is not set/);
    assert.equal(await valueOf(h, 'rotated'), 'version-two', 'the last good value keeps serving');

    env.ROTATED = 'version-two';
    const back = await h.call('POST', 'namedValues/rotated/refreshSecret');
    assert.equal(back.body.properties.keyVault.lastStatus.code, 'Success');
  });

  it('refreshSecret on a named value without keyVault is a 400', async () => {
    assert.equal((await put(h, 'plain', { displayName: 'plain', value: 'p' })).status, 201);
    const r = await h.call('POST', 'namedValues/plain/refreshSecret');
    assert.equal(r.status, 400);
    assert.equal(r.body.error.code, 'BadRequest');
  });

  it('a PATCH that leaves keyVault out keeps the value without reading it again', async () => {
    env.PATCHED = 'patched-one';
    assert.equal((await put(h, 'patched', { displayName: 'patched', keyVault: { secretIdentifier: 'env:PATCHED' } })).status, 201);
    delete env.PATCHED;
    const patched = await h.call('PATCH', 'namedValues/patched', { body: { properties: { tags: ['t'] } }, headers: { 'if-match': '*' } });
    assert.equal(patched.status, 200, patched.text);
    assert.equal(patched.body.properties.keyVault.lastStatus.code, 'Success');
    assert.equal(await valueOf(h, 'patched'), 'patched-one');
  });

  it('the periodic pass: a new value makes a store version, a failure changes only the status, no change writes nothing', async () => {
    env.PERIODIC = 'periodic-one';
    env.PATCHED = 'patched-one'; // the PATCH test left it unset: its named value would change status
    assert.equal((await put(h, 'periodic', { displayName: 'periodic', keyVault: { secretIdentifier: 'env:PERIODIC' } })).status, 201);
    const pass = () => refreshNamedValueSecrets({ store: h.store, sealer: h.box, secrets: createSecretResolver({ env, allowed }), service: { subscriptionId: 's', resourceGroup: 'r', serviceName: 'gatehouse' }, now: () => new Date(), actor: 'test' });

    const v0 = await h.store.version();
    const quiet = await pass();
    assert.equal(quiet.changed, 0);
    assert.equal(await h.store.version(), v0, 'nothing changed, nothing written');

    env.PERIODIC = 'periodic-two';
    const rotated = await pass();
    assert.equal(rotated.changed, 1);
    assert.ok((await h.store.version()) > v0);
    assert.equal(await valueOf(h, 'periodic'), 'periodic-two');

    delete env.PERIODIC;
    const before = (await h.store.get('namedValues/periodic'))!.body;
    const failing = await pass();
    assert.ok(failing.failed.some((f) => f.name === 'periodic' && f.code === 'SecretNotFound'));
    const afterBody = (await h.store.get('namedValues/periodic'))!.body;
    assert.equal(afterBody.value, before.value, 'the sealed value is untouched');
    assert.equal((afterBody.keyVault as { lastStatus: { code: string } }).lastStatus.code, 'SecretNotFound');
    assert.equal(await valueOf(h, 'periodic'), 'periodic-two');
  });

  it('a new value that would break a policy using it is not applied; the status says why', async () => {
    env.HEADER_VALUE = '20';
    assert.equal((await put(h, 'header-value', { displayName: 'header-value', keyVault: { secretIdentifier: 'env:HEADER_VALUE' } })).status, 201);
    const policy = '<policies><inbound><base /><rate-limit-by-key calls="{{header-value}}" renewal-period="60" counter-key="k" /></inbound><backend><base /></backend><outbound><base /></outbound><on-error><base /></on-error></policies>';
    const saved = await h.call('PUT', 'policies/policy', { body: { properties: { format: 'xml', value: policy } } });
    assert.ok(saved.status === 200 || saved.status === 201, saved.text);
    env.HEADER_VALUE = 'twenty';
    const r = await h.call('POST', 'namedValues/header-value/refreshSecret');
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.properties.keyVault.lastStatus.code, 'PolicyValidationError');
    assert.match(r.body.properties.keyVault.lastStatus.message, /calls/);
    assert.equal(await valueOf(h, 'header-value'), '20');
  });
});

describe('Key Vault named values without a secret provider', () => {
  it('are refused at PUT: nothing could read them', async () => {
    const bare = await startManagement();
    try {
      const r = await put(bare, 'kv', { displayName: 'kv', keyVault: { secretIdentifier: 'https://contoso.vault.azure.net/secrets/aadSecret' } });
      assert.equal(r.status, 400);
      assert.match(r.body.error.details[0].message, /without a secret provider/);
    } finally {
      await bare.close();
    }
  });
});
