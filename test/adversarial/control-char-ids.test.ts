/**
 * Issue 11 finding 10: resource names with NUL, CR or LF were accepted, and `export` then failed
 * half-way (a NUL cannot be in a folder name). Names with control characters are now refused
 * with 400 ValidationError on `name` at PUT and by the folder import (naming the file), and so
 * are the names `.` and `..` an imported file may give, so what is stored always exports whole.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigFolderError } from '../../src/management/apiops/config-folder-error.js';
import { exportStoreToFolder } from '../../src/management/apiops-sync/export-store-to-folder.js';
import { importFolderToStore } from '../../src/management/apiops-sync/import-folder-to-store.js';
import { startManagement, storeState, type ManagementHarness } from '../management/arm/arm-harness.js';
import { useTempSqliteStore } from '../helpers/temp-sqlite-store.js';

const hostileNames: Array<[string, string]> = [
  ['NUL', 'a\u0000b'],
  ['CR', 'a\rb'],
  ['LF', 'a\nb'],
  ['CR LF', 'a\r\nb'],
  ['TAB', 'a\tb'],
  ['DEL', 'a\u007fb'],
  ['C1 next line', 'a\u0085b'],
];

// `.` and `..` cannot arrive through a URL: the handler's URL parsing removes dot segments
// (`products/%2e%2e` is the service itself), so only the folder import below can name them.
describe('adversarial: control characters in resource names', () => {
  let h: ManagementHarness;
  const root = mkdtempSync(join(tmpdir(), 'gatehouse-names-'));
  before(async () => {
    h = await startManagement();
    assert.equal((await h.call('PUT', 'apis/a', { body: { properties: { displayName: 'A', path: 'a' } } })).status, 201);
    assert.equal((await h.call('PUT', 'products/p', { body: { properties: { displayName: 'P' } } })).status, 201);
  });
  after(async () => {
    await h.close();
    rmSync(root, { recursive: true, force: true });
  });

  const writes = (name: string): Array<{ path: string; properties: Record<string, unknown> }> => [
    { path: `products/${encodeURIComponent(name)}`, properties: { displayName: 'X' } },
    { path: `apis/${encodeURIComponent(name)}`, properties: { displayName: 'X', path: 'x' } },
    { path: `apis/a/operations/${encodeURIComponent(name)}`, properties: { displayName: 'X', method: 'GET', urlTemplate: '/x' } },
    { path: `namedValues/${encodeURIComponent(name)}`, properties: { displayName: 'x', value: 'v' } },
    { path: `subscriptions/${encodeURIComponent(name)}`, properties: { displayName: 'X', scope: '/products/p' } },
    { path: `groups/${encodeURIComponent(name)}`, properties: { displayName: 'X' } },
    { path: `products/p/apis/${encodeURIComponent(name)}`, properties: {} },
  ];

  for (const [label, name] of hostileNames) {
    it(`refuses a name with ${label} with 400 on 'name' and writes nothing`, async () => {
      for (const w of writes(name)) {
        const before = await storeState(h.store);
        const r = await h.call('PUT', w.path, { body: { properties: w.properties } });
        assert.equal(r.status, 400, `${w.path}: ${r.text}`);
        assert.equal(r.body.error.code, 'ValidationError', r.text);
        assert.equal(r.body.error.details[0].target, 'name', r.text);
        assert.doesNotMatch(r.text, /[\u0000-\u001f]/, 'the message shows the characters escaped');
        assert.deepEqual(await storeState(h.store), before, `${w.path}: nothing written`);
      }
    });
  }

  it('what the store holds after the probes exports whole', async () => {
    const out = join(root, 'export');
    const result = await exportStoreToFolder(h.store, h.box, out);
    assert.ok(result.files.includes('products/p/productInformation.json'), result.files.join('\n'));
    assert.ok(result.files.includes('apis/a/apiInformation.json'), result.files.join('\n'));
    assert.ok(!existsSync(join(root, 'productInformation.json')), 'nothing was written outside the folder');
  });
});

describe('adversarial: control characters in names of an imported folder', () => {
  const temp = useTempSqliteStore('gatehouse-names-import-');
  const { root, box } = temp;

  /** A folder with one good product and one whose folder and `name` are given. */
  function folderWith(folderName: string, nameInFile?: string): { dir: string; file: string } {
    const dir = mkdtempSync(join(root, 'folder-'));
    const write = (sub: string, content: object): void => {
      mkdirSync(join(dir, 'products', sub), { recursive: true });
      writeFileSync(join(dir, 'products', sub, 'productInformation.json'), JSON.stringify(content));
    };
    write('good', { properties: { displayName: 'Good' } });
    write(folderName, { ...(nameInFile === undefined ? {} : { name: nameInFile }), properties: { displayName: 'Bad' } });
    return { dir, file: `products/${folderName}/productInformation.json` };
  }

  const cases: Array<[string, string, string | undefined]> = [
    ['LF in the folder name', 'bad\nname', undefined],
    ['CR in the folder name', 'bad\rname', undefined],
    ['NUL in the name the file gives', 'bad', 'bad\u0000name'],
    ['.. as the name the file gives', 'bad', '..'],
  ];
  for (const [label, folderName, nameInFile] of cases) {
    it(`refuses ${label}, naming the file, and writes nothing`, async () => {
      const { dir, file } = folderWith(folderName, nameInFile);
      await assert.rejects(importFolderToStore(dir, temp.store(), box, 'importer'), (err: unknown) => {
        assert.ok(err instanceof ConfigFolderError, String(err));
        assert.equal(err.file, file);
        assert.match(err.reason, /ValidationError.*name/);
        return true;
      });
      assert.deepEqual(await temp.store().all(), []);
    });
  }
});
