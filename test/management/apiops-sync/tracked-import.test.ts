/**
 * The import `start --config` runs (tracked): the store remembers what the last import of a
 * folder wrote, so the next import removes what the folder no longer has, children and links
 * included, in an order the kinds' rules accept; what the folder never had stays; a refused
 * removal names the file the resource came from and changes nothing; an unchanged folder
 * writes nothing (no new configuration version); keyless subscriptions report their generated
 * key once.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigFolderError } from '../../../src/management/apiops/config-folder-error.js';
import { folderImportRecordKind } from '../../../src/management/apiops-sync/folder-import-record.js';
import { totalCounts } from '../../../src/management/apiops-sync/import-counts.js';
import { importFolderToStore, type ImportResult } from '../../../src/management/apiops-sync/import-folder-to-store.js';
import { apiInformation, openApi, writeApiopsFolder } from '../../e2e/helpers/apiops-writer.js';
import { useTempSqliteStore } from '../../helpers/temp-sqlite-store.js';

const policy = (inner: string) => `<policies><inbound><base />${inner}</inbound><backend><base /></backend><outbound><base /></outbound><on-error><base /></on-error></policies>`;

/** A folder with an API per kind of child and link that a removal has to take along. */
function folder(): string {
  return writeApiopsFolder({
    'apis/a/apiInformation.json': apiInformation({ displayName: 'A', path: 'a', serviceUrl: 'http://127.0.0.1:9', subscriptionRequired: false }),
    'apis/a/specification.json': openApi([{ method: 'GET', path: '/x', operationId: 'x' }, { method: 'GET', path: '/y', operationId: 'y' }]),
    'apis/a/operations/y/policy.xml': policy('<set-header name="x-nv" exists-action="override"><value>{{nv}}</value></set-header>'),
    'apis/b/apiInformation.json': apiInformation({ displayName: 'B', path: 'b', serviceUrl: 'http://127.0.0.1:9', apiVersionSetId: '/apiVersionSets/vs', apiVersion: 'v1' }),
    'apis/b/specification.json': openApi([{ method: 'GET', path: '/x', operationId: 'x' }]),
    'version sets/vs/apiVersionSetInformation.json': { properties: { displayName: 'VS', versioningScheme: 'Segment' } },
    'named values/nv/namedValueInformation.json': { properties: { displayName: 'nv', value: 'one' } },
    'groups/g/groupInformation.json': { properties: { displayName: 'G' } },
    'users/u/userInformation.json': { properties: { email: 'u@example.com', firstName: 'U', lastName: 'U', groups: [{ name: 'g' }] } },
    'products/p/productInformation.json': { properties: { displayName: 'P', subscriptionRequired: true, state: 'published' } },
    'products/p/apis.json': [{ name: 'a' }, { name: 'b' }],
    'products/p/groups.json': [{ name: 'g' }],
    'subscriptions/s/subscriptionInformation.json': { properties: { displayName: 'S', scope: '/products/p', state: 'active' } },
  });
}

describe('a tracked import', () => {
  const temp = useTempSqliteStore('gatehouse-tracked-');
  const dir = folder();
  const run = (from = dir): Promise<ImportResult> => importFolderToStore(from, temp.store(), temp.box, 'test', { tracked: true });
  const ids = async (): Promise<string[]> => (await temp.store().all()).filter((e) => e.kind !== folderImportRecordKind).map((e) => e.id.toLowerCase());

  it('reports the generated key of a keyless subscription at its creation only', async () => {
    const first = await run();
    assert.deepEqual(first.generatedKeys.map((k) => k.subscription), ['s']);
    assert.match(first.generatedKeys[0]!.primaryKey, /^\w{20,}$/);
    const again = await run();
    assert.deepEqual(again.generatedKeys, []);
  });

  it('writes nothing when the folder did not change', async () => {
    const version = await temp.store().version();
    const result = await run();
    assert.equal(result.version, version);
    assert.equal(totalCounts(result.counts).removed, 0);
  });

  it('keeps what the folder never had, even beside what it removes', async () => {
    // Written by another writer (as the management API would): not the folder's to remove.
    await importFolderToStore(
      writeApiopsFolder({
        'apis/m/apiInformation.json': apiInformation({ displayName: 'M', path: 'm', serviceUrl: 'http://127.0.0.1:9', subscriptionRequired: false }),
        'apis/m/specification.json': openApi([{ method: 'GET', path: '/x', operationId: 'x' }]),
        'products/mp/productInformation.json': { properties: { displayName: 'MP', subscriptionRequired: false, state: 'published' } },
        'products/mp/apis.json': [{ name: 'b' }, { name: 'm' }],
      }),
      temp.store(),
      temp.box,
      'someone else',
    );
    assert.ok((await ids()).includes('products/mp/apis/b'));
  });

  it('removes an API with its operations, revisions and product links (the folder\'s and others\'), and its version set', async () => {
    rmSync(join(dir, 'apis/b'), { recursive: true });
    rmSync(join(dir, 'version sets'), { recursive: true });
    writeFileSync(join(dir, 'products/p/apis.json'), JSON.stringify([{ name: 'a' }]));
    const result = await run();
    const now = await ids();
    for (const gone of ['apis/b', 'apis/b/operations/x', 'products/p/apis/b', 'products/mp/apis/b', 'apiversionsets/vs']) assert.ok(!now.includes(gone), `${gone} is still stored`);
    for (const kept of ['apis/a', 'apis/m', 'apis/m/operations/x', 'products/mp', 'products/mp/apis/m', 'products/p/apis/a']) assert.ok(now.includes(kept), `${kept} was removed`);
    assert.equal(result.counts.api?.removed, 1);
  });

  it('removes an operation policy, a named value it used, a user with its group link, and a product with its subscriptions and links', async () => {
    rmSync(join(dir, 'apis/a/operations'), { recursive: true });
    rmSync(join(dir, 'named values'), { recursive: true });
    rmSync(join(dir, 'users'), { recursive: true });
    rmSync(join(dir, 'products'), { recursive: true });
    rmSync(join(dir, 'subscriptions'), { recursive: true });
    await run();
    const now = await ids();
    for (const gone of ['apis/a/operations/y/policies/policy', 'namedvalues/nv', 'users/u', 'groups/g/users/u', 'products/p', 'products/p/groups/g', 'subscriptions/s']) assert.ok(!now.includes(gone), `${gone} is still stored`);
    for (const kept of ['apis/a/operations/y', 'groups/g', 'apis/m']) assert.ok(now.includes(kept), `${kept} was removed`);
  });

  it('refuses a removal the kinds refuse, naming the removed file, and changes nothing', async () => {
    const withSet = folder();
    await importFolderToStore(withSet, temp.store(), temp.box, 'test', { tracked: true });
    // Another writer's API now uses the folder's version set.
    await importFolderToStore(
      writeApiopsFolder({
        'apis/v/apiInformation.json': apiInformation({ displayName: 'V', path: 'v', serviceUrl: 'http://127.0.0.1:9', apiVersionSetId: '/apiVersionSets/vs', apiVersion: 'v9' }),
        'apis/v/specification.json': openApi([{ method: 'GET', path: '/x', operationId: 'x' }]),
      }),
      temp.store(),
      temp.box,
      'someone else',
    );
    const before = await temp.store().version();
    rmSync(join(withSet, 'version sets'), { recursive: true });
    rmSync(join(withSet, 'apis/b'), { recursive: true });
    writeFileSync(join(withSet, 'products/p/apis.json'), JSON.stringify([{ name: 'a' }]));
    await assert.rejects(run(withSet), (err: unknown) => {
      assert.ok(err instanceof ConfigFolderError);
      assert.equal(err.file, 'version sets/vs/apiVersionSetInformation.json');
      assert.match(err.reason, /'apiVersionSets\/vs' is no longer in the folder and cannot be removed: .*used by API 'v'/);
      return true;
    });
    assert.equal(await temp.store().version(), before);
  });
});

describe('tracked imports of two folders', () => {
  const temp = useTempSqliteStore('gatehouse-tracked-two-');
  it('remove only what their own folder wrote', async () => {
    const one = writeApiopsFolder({
      'apis/one/apiInformation.json': apiInformation({ displayName: 'One', path: 'one', serviceUrl: 'http://127.0.0.1:9' }),
    });
    const two = writeApiopsFolder({
      'apis/two/apiInformation.json': apiInformation({ displayName: 'Two', path: 'two', serviceUrl: 'http://127.0.0.1:9' }),
    });
    await importFolderToStore(one, temp.store(), temp.box, 'test', { tracked: true });
    await importFolderToStore(two, temp.store(), temp.box, 'test', { tracked: true });
    rmSync(join(two, 'apis'), { recursive: true });
    await importFolderToStore(two, temp.store(), temp.box, 'test', { tracked: true, force: true });
    const apis = (await temp.store().list({ kind: 'api' })).items.map((e) => e.id);
    assert.deepEqual(apis, ['apis/one']);
  });
});
