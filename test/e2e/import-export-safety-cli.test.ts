/**
 * `gatehouse import` and `gatehouse export` refuse what would lose data or leave junk behind
 * (issue 12 §2), as real processes: re-importing an identical folder reports (and makes) no
 * change; an empty folder is not imported without --force (and then a replace removes
 * everything), and an export from a data folder that does not exist, or
 * holds no store, exits 1 and creates nothing (neither the export folder nor a store).
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { SqliteEntityStore } from '../../src/store/sqlite-entity-store.js';
import { pgUrl, postgresSkip, testSchema } from '../management/apiops-sync/postgres-target.js';
import { runGatehouse } from './helpers/gatehouse-process.js';

const sample = new URL('../fixtures/apiops/sample/', import.meta.url).pathname;
const temp: string[] = [];
const tempDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'gatehouse-ie-refuse-'));
  temp.push(d);
  return d;
};
after(() => {
  for (const d of temp) rmSync(d, { recursive: true, force: true });
});

// Each data folder gets its own generated key file; no key from the environment.
const env = { GATEHOUSE_ENCRYPTION_KEY: '', GATEHOUSE_STORE: '' };

async function entitiesOf(dataDir: string) {
  const store = await SqliteEntityStore.open({ dataDir });
  try {
    return await store.all();
  } finally {
    await store.close();
  }
}

describe('gatehouse import / export safety', () => {
  it('reports no change for an identical folder, refuses an empty folder unless --force, and changes nothing', async () => {
    const data = tempDir();
    assert.equal((await runGatehouse(['import', sample, '--data', data], env)).code, 0);
    const reimported = await runGatehouse(['import', sample, '--data', data, '--mode', 'replace'], env);
    assert.equal(reimported.code, 0, reimported.stderr);
    assert.match(reimported.stdout, /\(replace\): 0 created, 0 updated, \d+ unchanged, 0 removed; configuration version 1\./);
    assert.match(reimported.stdout, /^ {2}api: 0 created, 0 updated, 8 unchanged, 0 removed$/m);
    const before = await entitiesOf(data);
    const empty = tempDir();
    const refused = await runGatehouse(['import', empty, '--data', data, '--mode', 'replace'], env);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /no APIOps artifact found.*use --force/);
    assert.deepEqual(await entitiesOf(data), before);
    const forced = await runGatehouse(['import', empty, '--data', data, '--mode', 'replace', '--force'], env);
    assert.equal(forced.code, 0, forced.stderr);
    assert.match(forced.stdout, /0 created, 0 updated, 0 unchanged, \d+ removed/);
  });

  it('refuses to export from a data folder that does not exist or holds no store, creating nothing', async () => {
    const parent = tempDir();
    const out = join(parent, 'out');
    const typo = join(parent, 'typo');
    const missing = await runGatehouse(['export', out, '--data', typo], env);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /the data folder .*typo does not exist/);
    const emptyData = join(parent, 'empty-data');
    mkdirSync(emptyData);
    const noStore = await runGatehouse(['export', out, '--data', emptyData], env);
    assert.equal(noStore.code, 1);
    assert.match(noStore.stderr, /holds no store \(gatehouse\.db is missing\)/);
    assert.deepEqual(readdirSync(parent).sort(), ['empty-data']);
    assert.deepEqual(readdirSync(emptyData), []);
  });

  it('refuses to export from a PostgreSQL schema that holds no store, creating nothing', async (t) => {
    const skip = await postgresSkip();
    if (skip) return t.skip(skip);
    const schema = testSchema();
    const parent = tempDir();
    const url = new URL(pgUrl);
    url.searchParams.set('schema', schema);
    const result = await runGatehouse(['export', join(parent, 'out'), '--data', join(parent, 'no-data'), '--store', url.toString()], env);
    assert.equal(result.code, 1);
    assert.match(result.stderr, new RegExp(`PostgreSQL schema '${schema}' holds no Gatehouse store`));
    assert.deepEqual(readdirSync(parent), [], 'neither the export folder nor a data folder (key file) was created');
    const client = new pg.Client({ connectionString: pgUrl });
    await client.connect();
    try {
      assert.equal((await client.query('SELECT 1 FROM information_schema.schemata WHERE schema_name = $1', [schema])).rowCount, 0, 'no schema was created');
    } finally {
      await client.end();
    }
  });
});
