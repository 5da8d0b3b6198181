/**
 * An import reports, per kind, what it created, updated, left unchanged and removed, and makes
 * only those changes (issue 12 §2): re-importing an identical folder, in either mode, writes
 * nothing (same ETags, same configuration version) and reports 0 created, updated and removed.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { totalCounts } from '../../../src/management/apiops-sync/import-counts.js';
import { importFolderToStore } from '../../../src/management/apiops-sync/import-folder-to-store.js';
import { SecretBox } from '../../../src/store/secret-box.js';
import { SqliteEntityStore } from '../../../src/store/sqlite-entity-store.js';
import { exactState } from './stored-state.js';

const sample = new URL('../../fixtures/apiops/sample/', import.meta.url).pathname;
const everyKind = new URL('../../fixtures/apiops/every-kind/', import.meta.url).pathname;
const box = new SecretBox(randomBytes(32));
const temp: string[] = [];
const tempDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'gatehouse-counts-'));
  temp.push(d);
  return d;
};
after(() => {
  for (const d of temp) rmSync(d, { recursive: true, force: true });
});

async function withStore(work: (store: SqliteEntityStore) => Promise<void>): Promise<void> {
  const store = await SqliteEntityStore.open({ dataDir: tempDir() });
  try {
    await work(store);
  } finally {
    await store.close();
  }
}

describe('import counts', () => {
  for (const [label, folder] of [['the sample extract', sample], ['a folder with every kind and its secrets', everyKind]] as const) {
    it(`re-importing ${label} changes nothing and says so, in both modes`, () =>
      withStore(async (store) => {
        const first = await importFolderToStore(folder, store, box, 'importer');
        const created = totalCounts(first.counts).created;
        assert.deepEqual(totalCounts(first.counts), { created, updated: 0, unchanged: 0, removed: 0 });
        const before = await exactState(store);
        for (const mode of ['merge', 'replace'] as const) {
          const again = await importFolderToStore(folder, store, box, 'importer', { mode });
          const total = totalCounts(again.counts);
          assert.deepEqual({ ...total, unchanged: 0 }, { created: 0, updated: 0, unchanged: 0, removed: 0 }, `${mode}: ${JSON.stringify(again.counts)}`);
          // The first import also created the three built-in groups, which the folder does not describe.
          assert.equal(total.unchanged, created - 3, `${mode}: every resource of the folder is unchanged`);
          assert.deepEqual(await exactState(store), before, `${mode}: nothing was written`);
        }
      }));
  }

  it('counts a changed, a new and a removed resource under their kinds', () =>
    withStore(async (store) => {
      await importFolderToStore(sample, store, box, 'importer');
      const dir = join(tempDir(), 'changed');
      cpSync(sample, dir, { recursive: true });
      const file = join(dir, 'backends/backend1/backendInformation.json');
      const json = JSON.parse(readFileSync(file, 'utf8'));
      json.properties.description = 'changed';
      writeFileSync(file, JSON.stringify(json));
      cpSync(join(dir, 'backends/backend1'), join(dir, 'backends/backend-new'), { recursive: true });
      rmSync(join(dir, 'products/open'), { recursive: true });
      const result = await importFolderToStore(dir, store, box, 'importer', { mode: 'replace' });
      assert.equal(result.counts.backend?.updated, 1);
      assert.equal(result.counts.backend?.created, 1);
      assert.equal(result.counts.product?.removed, 1);
      assert.equal(totalCounts(result.counts).updated, 1);
      assert.equal(totalCounts(result.counts).created, 1);
    }));
});
