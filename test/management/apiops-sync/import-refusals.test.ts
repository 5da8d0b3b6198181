/**
 * An import never removes data by mistake (issue 12 §2): a folder in which nothing is
 * recognised (empty, or not an APIOps folder at all) is refused in both modes unless forced,
 * and a replace that would remove more than the folder holds is refused with what it would
 * remove (counts per kind, first names) unless forced. A refused import changes nothing.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigFolderError } from '../../../src/management/apiops/config-folder-error.js';
import { totalCounts } from '../../../src/management/apiops-sync/import-counts.js';
import { importFolderToStore } from '../../../src/management/apiops-sync/import-folder-to-store.js';
import { RemovalRefusedError } from '../../../src/management/apiops-sync/removal-summary.js';
import { SecretBox } from '../../../src/store/secret-box.js';
import { SqliteEntityStore } from '../../../src/store/sqlite-entity-store.js';
import { exactState } from './stored-state.js';

const sample = new URL('../../fixtures/apiops/sample/', import.meta.url).pathname;
const box = new SecretBox(randomBytes(32));
const temp: string[] = [];
const tempDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'gatehouse-refuse-'));
  temp.push(d);
  return d;
};
after(() => {
  for (const d of temp) rmSync(d, { recursive: true, force: true });
});

/** Runs `work` on a store holding the sample extract. */
async function withSampleStore(work: (store: SqliteEntityStore) => Promise<void>): Promise<void> {
  const store = await SqliteEntityStore.open({ dataDir: tempDir() });
  try {
    await importFolderToStore(sample, store, box, 'importer');
    await work(store);
  } finally {
    await store.close();
  }
}

/** A folder like docs/: markdown files and a folder of them, nothing of the APIOps layout. */
function notAnApiopsFolder(): string {
  const dir = tempDir();
  writeFileSync(join(dir, 'README.md'), '# notes\n');
  mkdirSync(join(dir, 'policies'));
  writeFileSync(join(dir, 'policies', 'cors.md'), '# cors\n');
  return dir;
}

describe('a folder with nothing recognised', () => {
  for (const [label, folder] of [['an empty folder', () => tempDir()], ['a folder that is not an APIOps folder', notAnApiopsFolder]] as const) {
    it(`${label} is refused in both modes and changes nothing`, () =>
      withSampleStore(async (store) => {
        const dir = folder();
        const before = await exactState(store);
        for (const mode of ['merge', 'replace'] as const) {
          await assert.rejects(importFolderToStore(dir, store, box, 'importer', { mode }), (err: unknown) => {
            assert.ok(err instanceof ConfigFolderError, String(err));
            assert.match(err.message, /no APIOps artifact found.*Nothing was changed; use --force/);
            return true;
          });
          assert.deepEqual(await exactState(store), before, `${mode}: the store is unchanged`);
        }
      }));
  }

  it('is imported when forced: a forced replace with an empty folder removes everything but the built-ins', () =>
    withSampleStore(async (store) => {
      const result = await importFolderToStore(tempDir(), store, box, 'importer', { mode: 'replace', force: true });
      assert.ok(totalCounts(result.counts).removed > 40);
      assert.equal(await store.get('apis/basic-api'), undefined);
      assert.ok(await store.get('groups/developers'), 'built-in groups stay');
    }));
});

describe('a replace that removes more than the folder holds', () => {
  /** The sample with every API but one and every product removed. */
  function smallFolder(): string {
    const dir = join(tempDir(), 'small');
    cpSync(sample, dir, { recursive: true });
    rmSync(join(dir, 'products'), { recursive: true });
    rmSync(join(dir, 'subscriptions'), { recursive: true });
    for (const api of ['graphql-api', 'petstore', 'revisioned-api', 'revisioned-api;rev=2', 'soap-api', 'versioned-api-v1', 'versioned-api-v2']) rmSync(join(dir, 'apis', api), { recursive: true });
    return dir;
  }

  it('is refused, listing what it would remove per kind with the first names, and changes nothing', () =>
    withSampleStore(async (store) => {
      const before = await exactState(store);
      await assert.rejects(importFolderToStore(smallFolder(), store, box, 'importer', { mode: 'replace' }), (err: unknown) => {
        assert.ok(err instanceof RemovalRefusedError, String(err));
        assert.match(err.message, /^replace would remove \d+ stored resources, more than the \d+ the folder holds:/);
        assert.match(err.message, /^ {2}7 api: apis\/graphql-api, apis\/petstore, /m);
        assert.match(err.message, /^ {2}3 subscription: subscriptions\/all-apis, subscriptions\/subscription1, subscriptions\/subscription2$/m);
        assert.match(err.message, /run the import again with --force/);
        return true;
      });
      assert.deepEqual(await exactState(store), before);
    }));

  it('goes ahead when forced, saying what it removes', () =>
    withSampleStore(async (store) => {
      const notices: string[] = [];
      const result = await importFolderToStore(smallFolder(), store, box, 'importer', { mode: 'replace', force: true, notice: (line) => notices.push(line) });
      assert.equal(notices.length, 1);
      assert.match(notices[0]!, /^replace would remove/);
      assert.equal(result.counts.api?.removed, 7);
      assert.equal(await store.get('apis/petstore'), undefined);
      assert.ok(await store.get('apis/basic-api'));
    }));

  it('merge with the same folder removes nothing and needs no force', () =>
    withSampleStore(async (store) => {
      const result = await importFolderToStore(smallFolder(), store, box, 'importer', { mode: 'merge' });
      assert.equal(totalCounts(result.counts).removed, 0);
    }));
});

describe('a path that is not a folder', () => {
  it('says a missing path does not exist and a file is not a folder', async () => {
    const store = await SqliteEntityStore.open({ dataDir: tempDir() });
    try {
      const missing = join(tempDir(), 'nope');
      await assert.rejects(importFolderToStore(missing, store, box, 'importer'), { message: `${missing}: does not exist` });
      const file = join(tempDir(), 'file.json');
      writeFileSync(file, '{}');
      await assert.rejects(importFolderToStore(file, store, box, 'importer'), { message: `${file}: is not a folder` });
    } finally {
      await store.close();
    }
  });
});
