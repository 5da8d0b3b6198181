/**
 * Export → import into a fresh store → export gives the same bytes (issue 12 §2): a folder kept
 * in git does not churn. The fixture (test/fixtures/apiops/every-kind/, written by
 * write-every-kind-fixture.ts) is itself an export with secrets of a store holding every kind
 * the importer supports, so importing it and exporting again must give back every file as it
 * is: dates (a subscription's createdDate, a user's registrationDate, release times) survive
 * the import and JSON keys come out in one order, on SQLite and on PostgreSQL.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { EntityStore } from '../../../src/core/entity-store.js';
import { exportStoreToFolder } from '../../../src/management/apiops-sync/export-store-to-folder.js';
import { importFolderToStore } from '../../../src/management/apiops-sync/import-folder-to-store.js';
import { SecretBox } from '../../../src/store/secret-box.js';
import { SqliteEntityStore } from '../../../src/store/sqlite-entity-store.js';
import { postgresSkip, withPostgresStore } from './postgres-target.js';

const fixture = new URL('../../fixtures/apiops/every-kind/', import.meta.url).pathname;
const temp: string[] = [];
const tempDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'gatehouse-bytes-'));
  temp.push(d);
  return d;
};
after(() => {
  for (const d of temp) rmSync(d, { recursive: true, force: true });
});

/** Every file below `dir` (relative path → bytes). */
function filesOf(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const walk = (at: string): void => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) walk(path);
      else files.set(relative(dir, path), readFileSync(path));
    }
  };
  walk(dir);
  return files;
}

function assertSameFiles(actual: string, expected: string): void {
  const a = filesOf(actual);
  const e = filesOf(expected);
  assert.deepEqual([...a.keys()].sort(), [...e.keys()].sort(), 'the same files');
  for (const [path, bytes] of e) assert.equal(a.get(path)!.toString('utf8'), bytes.toString('utf8'), `${path} is byte-identical`);
}

/** Imports `folder` into `store` (sealing with a key of its own) and exports it with secrets. */
async function importThenExport(folder: string, store: EntityStore): Promise<string> {
  const box = new SecretBox(randomBytes(32));
  const result = await importFolderToStore(folder, store, box, 'importer');
  assert.deepEqual(result.warnings, []);
  const out = join(tempDir(), 'export');
  await exportStoreToFolder(store, box, out, { exportSecrets: true });
  return out;
}

async function withSqliteStore<T>(work: (store: SqliteEntityStore) => Promise<T>): Promise<T> {
  const store = await SqliteEntityStore.open({ dataDir: tempDir() });
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

describe('export, import into a fresh store, export again', () => {
  it('the fixture holds every kind the importer supports', () => {
    const files = [...filesOf(fixture).keys()].map((f) => f.split('/')[0]);
    for (const top of ['apis', 'products', 'subscriptions', 'named values', 'backends', 'policy fragments', 'version sets', 'groups', 'users', 'policy.xml']) {
      assert.ok(files.includes(top), `${top} is in the fixture`);
    }
  });

  it('gives back every file byte for byte on SQLite, and again from that export', async () => {
    const first = await withSqliteStore((store) => importThenExport(fixture, store));
    assertSameFiles(first, fixture);
    const second = await withSqliteStore((store) => importThenExport(first, store));
    assertSameFiles(second, first);
  });

  it('gives back every file byte for byte on PostgreSQL', async (t) => {
    const skip = await postgresSkip();
    if (skip) return t.skip(skip);
    const exported = await withPostgresStore((store) => importThenExport(fixture, store));
    assertSameFiles(exported, fixture);
  });
});
