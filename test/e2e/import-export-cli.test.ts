/**
 * `gatehouse import` and `gatehouse export` as real processes on a temporary data folder: the
 * sample extract imports, exports again in the extractor layout, and that export imports into
 * another data folder with the same resources; a broken folder exits 1 naming the file and leaves the store as it was; usage errors exit 2.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSecretBox } from '../../src/store/encryption-key.js';
import { SqliteEntityStore } from '../../src/store/sqlite-entity-store.js';
import { storedState } from '../management/apiops-sync/stored-state.js';
import { runGatehouse } from './helpers/gatehouse-process.js';

const sample = new URL('../fixtures/apiops/sample/', import.meta.url).pathname;
const temp: string[] = [];
const tempDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'gatehouse-ie-cli-'));
  temp.push(d);
  return d;
};
after(() => {
  for (const d of temp) rmSync(d, { recursive: true, force: true });
});

// Each data folder gets its own generated key file; no key from the environment.
const env = { GATEHOUSE_ENCRYPTION_KEY: '', GATEHOUSE_STORE: '' };

async function stateOf(dataDir: string) {
  const store = await SqliteEntityStore.open({ dataDir });
  try {
    const { box } = await openSecretBox({ dataDir, env: {} });
    return { version: await store.version(), all: await store.all(), comparable: await storedState(store, box) };
  } finally {
    await store.close();
  }
}

describe('gatehouse import / export', () => {
  it('imports, exports and imports the export into another data folder', async () => {
    const first = tempDir();
    const imported = await runGatehouse(['import', sample, '--data', first], env);
    assert.equal(imported.code, 0, imported.stderr);
    assert.match(imported.stdout, /Imported .* into SQLite .*gatehouse\.db \(merge\): \d+ created, 0 updated, 0 unchanged, 0 removed; configuration version 1\./);
    assert.match(imported.stdout, /warning: named values\/6282504e4634611254a46fe1\/namedValueInformation\.json: Key Vault named value/);
    // Loggers, diagnostics and tags are imported, not skipped.
    assert.doesNotMatch(imported.stdout, /skipped (loggers|diagnostics|tags)/);
    assert.match(imported.stdout, /^ {2}logger: 1 created/m);
    assert.match(imported.stdout, /^ {2}tag: 1 created/m);

    const out = join(tempDir(), 'export');
    const exported = await runGatehouse(['export', out, '--data', first, '--export-secrets'], env);
    assert.equal(exported.code, 0, exported.stderr);
    assert.match(exported.stdout, /Exported SQLite .* to .*: \d+ files\./);
    assert.ok(existsSync(join(out, 'apis/revisioned-api;rev=2/apiInformation.json')));
    assert.ok(existsSync(join(out, 'products/product1/policy.xml')));

    const second = tempDir();
    const again = await runGatehouse(['import', out, '--data', second, '--mode', 'replace'], env);
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual((await stateOf(second)).comparable, (await stateOf(first)).comparable);

    const secretless = join(tempDir(), 'export');
    const plain = await runGatehouse(['export', secretless, '--data', first], env);
    assert.equal(plain.code, 0, plain.stderr);
    assert.match(plain.stdout, /Secrets not written \(use --export-secrets to include them\): .*subscriptions\/subscription1/);
  });

  it('refuses a broken folder with exit 1, naming the file, and changes nothing', async () => {
    const data = tempDir();
    assert.equal((await runGatehouse(['import', sample, '--data', data], env)).code, 0);
    const before = await stateOf(data);
    const broken = join(tempDir(), 'broken');
    cpSync(sample, broken, { recursive: true });
    writeFileSync(join(broken, 'apis/basic-api/policy.xml'), '<policies><inbound><base /><no-such-policy /></inbound><backend><base /></backend><outbound><base /></outbound><on-error><base /></on-error></policies>');
    const result = await runGatehouse(['import', broken, '--data', data, '--mode', 'replace'], env);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^gatehouse import: apis\/basic-api\/policy\.xml: ValidationError: .*no-such-policy/m);
    const afterwards = await stateOf(data);
    assert.equal(afterwards.version, before.version);
    assert.deepEqual(afterwards.all, before.all);
  });

  it('exits 2 on usage errors and 1 when the export folder is not empty', async () => {
    const data = tempDir();
    const noDir = await runGatehouse(['import', '--data', data], env);
    assert.equal(noDir.code, 2);
    assert.match(noDir.stderr, /the folder to import \(APIOPS_DIR\) is missing/);
    const badMode = await runGatehouse(['import', sample, '--data', data, '--mode', 'sideways'], env);
    assert.equal(badMode.code, 2);
    assert.match(badMode.stderr, /--mode must be merge or replace, found 'sideways'/);
    const badFlag = await runGatehouse(['export', join(data, 'x'), '--colour'], env);
    assert.equal(badFlag.code, 2);
    const badStore = await runGatehouse(['export', join(data, 'x'), '--data', data, '--store', 'mysql://x'], env);
    assert.equal(badStore.code, 2);
    const full = tempDir();
    writeFileSync(join(full, 'keep.txt'), 'x');
    const notEmpty = await runGatehouse(['export', full, '--data', data], env);
    assert.equal(notEmpty.code, 1);
    assert.match(notEmpty.stderr, /is not empty/);
    const missing = await runGatehouse(['import', join(data, 'nope'), '--data', data], env);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /nope: does not exist/);
  });
});
