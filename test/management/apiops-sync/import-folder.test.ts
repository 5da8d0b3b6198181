/**
 * Importing APIOps folders into an empty or filled store: the sample extract's resources are
 * all stored (the gateway model they give is checked in test/management/apiops/
 * load-sample-folder.test.ts); a folder with an error changes nothing and the error names the
 * file; merge keeps what the folder lacks, replace removes it.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigFolderError } from '../../../src/management/apiops/config-folder-error.js';
import { totalCounts } from '../../../src/management/apiops-sync/import-counts.js';
import { importFolderToStore } from '../../../src/management/apiops-sync/import-folder-to-store.js';
import { SecretBox } from '../../../src/store/secret-box.js';
import { SqliteEntityStore } from '../../../src/store/sqlite-entity-store.js';
import { exactState } from './stored-state.js';

const sample = new URL('../../fixtures/apiops/sample/', import.meta.url).pathname;
const temp: string[] = [];
const tempDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'gatehouse-import-'));
  temp.push(d);
  return d;
};
after(() => {
  for (const d of temp) rmSync(d, { recursive: true, force: true });
});

async function freshStore(): Promise<SqliteEntityStore> {
  return SqliteEntityStore.open({ dataDir: tempDir() });
}

describe('importing the sample extract', () => {
  const box = new SecretBox(randomBytes(32));
  let store: SqliteEntityStore;
  before(async () => {
    store = await freshStore();
  });
  after(() => store.close());

  it('stores every resource of the folder, loggers, diagnostics and tags included', async () => {
    const result = await importFolderToStore(sample, store, box, 'importer');
    const created = totalCounts(result.counts).created;
    assert.ok(created > 40, `created ${created}`);
    assert.ok(!result.ignored.some((p) => /^(loggers|diagnostics|tags)\b|\/(diagnostics|tags)(\.json)?$/.test(p)), `loggers, diagnostics and tags are read: ${result.ignored.join(', ')}`);
    for (const id of ['loggers/azuremonitor', 'diagnostics/azuremonitor', 'apis/soap-api/diagnostics/applicationinsights', 'tags/tag1', 'apis/basic-api/tags/tag1', 'products/open/tags/tag1']) {
      assert.ok(await store.get(id), `${id} is stored`);
    }
    assert.ok(result.warnings.some((w) => w.includes('Key Vault')), 'the Key Vault named value is reported');
  });
});

describe('a folder with an error', () => {
  const box = new SecretBox(randomBytes(32));
  let store: SqliteEntityStore;
  before(async () => {
    store = await freshStore();
    await importFolderToStore(sample, store, box, 'importer');
  });
  after(() => store.close());

  /** Copies the sample, lets `damage` break it, and checks the import is refused with `message` and changes nothing. */
  async function refused(damage: (dir: string) => void, message: string | RegExp): Promise<void> {
    const dir = join(tempDir(), 'folder');
    cpSync(sample, dir, { recursive: true });
    damage(dir);
    const before = await exactState(store);
    for (const mode of ['merge', 'replace'] as const) {
      await assert.rejects(importFolderToStore(dir, store, box, 'importer', { mode }), (err: unknown) => {
        assert.ok(err instanceof ConfigFolderError, String(err));
        if (typeof message === 'string') assert.equal(err.message, message);
        else assert.match(err.message, message);
        return true;
      });
      assert.deepEqual(await exactState(store), before, `${mode}: the store is unchanged`);
    }
  }

  it('invalid JSON names the file and the parser reason', () =>
    refused((d) => writeFileSync(join(d, 'products/starter/productInformation.json'), '{ "properties": { nope } }'), /^products\/starter\/productInformation\.json: invalid JSON \(/));

  it('a policy that does not compile is refused as the REST API refuses it', () =>
    refused(
      (d) => writeFileSync(join(d, 'products/product1/policy.xml'), '<policies><inbound><base /><no-such-policy /></inbound><backend><base /></backend><outbound><base /></outbound><on-error><base /></on-error></policies>'),
      /^products\/product1\/policy\.xml: ValidationError: .*no-such-policy/,
    ));

  it('a policy naming a missing named value is refused', () =>
    refused(
      (d) => writeFileSync(join(d, 'policy.xml'), '<policies><inbound><set-header name="x" exists-action="override"><value>{{not-there}}</value></set-header></inbound><backend><forward-request /></backend><outbound /><on-error /></policies>'),
      /^policy\.xml: ValidationError: .*not-there/,
    ));

  it('an unknown property is refused with the REST API message', () =>
    refused((d) => {
      const file = join(d, 'backends/backend1/backendInformation.json');
      const json = JSON.parse(readFileSync(file, 'utf8'));
      json.properties.colour = 'blue';
      writeFileSync(file, JSON.stringify(json));
    }, "backends/backend1/backendInformation.json: ValidationError: One or more fields contain incorrect values: colour: Property 'colour' is not a known property of this resource."));

  it('a subscription scoped to a missing product is refused', () =>
    refused((d) => {
      const file = join(d, 'subscriptions/subscription1/subscriptionInformation.json');
      const json = JSON.parse(readFileSync(file, 'utf8'));
      json.properties.scope = '/products/ghost';
      writeFileSync(file, JSON.stringify(json));
    }, /^subscriptions\/subscription1\/subscriptionInformation\.json: ValidationError: .*Product 'ghost' not found/));
});

describe('merge and replace', () => {
  const box = new SecretBox(randomBytes(32));

  it('merge keeps what the folder lacks; replace removes it and keeps built-ins', async () => {
    const store = await freshStore();
    try {
      await importFolderToStore(sample, store, box, 'importer');
      const dir = join(tempDir(), 'smaller');
      cpSync(sample, dir, { recursive: true });
      rmSync(join(dir, 'products/open'), { recursive: true });
      rmSync(join(dir, 'apis/basic-api/operations/get-items/policy.xml'));
      await importFolderToStore(dir, store, box, 'importer', { mode: 'merge' });
      assert.ok(await store.get('products/open'), 'merge keeps a product the folder lacks');
      assert.equal(await store.get('apis/basic-api/operations/get-items/policies/policy'), undefined, "an API's policies are the folder's");
      const result = await importFolderToStore(dir, store, box, 'importer', { mode: 'replace' });
      assert.ok(totalCounts(result.counts).removed >= 1);
      assert.equal(await store.get('products/open'), undefined, 'replace removes it');
      assert.equal(await store.get('products/open/apis/petstore'), undefined);
      assert.ok(await store.get('groups/developers'), 'built-in groups stay');
      assert.ok(await store.get('service'), 'service settings stay');
      assert.ok(await store.get('apis/petstore'), 'the API itself is still in the folder');
    } finally {
      await store.close();
    }
  });
});
