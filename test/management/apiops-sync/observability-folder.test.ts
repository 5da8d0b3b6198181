/**
 * Loggers, diagnostics, tags and schemas in an APIOps folder: each file is checked by the
 * management API's rules (a refusal names the file and changes nothing), every tag-link layout
 * the extractor versions write is read, and a replace removes what the folder no longer has. A
 * logger's clear-text secret keeps one `Logger-Credentials-…` named value however often it is
 * imported (merge or replace), updated when the secret changes.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { ConfigFolderError } from '../../../src/management/apiops/config-folder-error.js';
import { importFolderToStore } from '../../../src/management/apiops-sync/import-folder-to-store.js';
import { SecretBox } from '../../../src/store/secret-box.js';
import { withFreshStore } from './fresh-store.js';
import { jsonFolders } from './json-folders.js';
import { exactState } from './stored-state.js';

const box = new SecretBox(randomBytes(32));
/** Writes `files` (relative path → JSON value) into a new folder. */
const folder = jsonFolders('gatehouse-observe-');

const api = { properties: { displayName: 'Echo', path: 'echo', serviceUrl: 'http://127.0.0.1:9', protocols: ['https'] } };
const base: Record<string, unknown> = {
  'apis/echo/apiInformation.json': api,
  'products/p/productInformation.json': { properties: { displayName: 'P' } },
  'loggers/azuremonitor/loggerInformation.json': { properties: { loggerType: 'azureMonitor' } },
  'tags/t1/tagInformation.json': { properties: { displayName: 'one' } },
  'tags/t2/tagInformation.json': { properties: { displayName: 'two' } },
  'tags/t3/tagInformation.json': { properties: { displayName: 'three' } },
};

describe('APIOps folders: loggers, diagnostics, tags, schemas', () => {
  it('reads every tag-link layout and the diagnostics and schemas below an API', async () => {
    const dir = folder({
      ...base,
      'diagnostics/azuremonitor/diagnosticInformation.json': { properties: { loggerId: '/loggers/azuremonitor', verbosity: 'information' } },
      'apis/echo/diagnostics/azuremonitor/diagnosticInformation.json': { properties: { loggerId: '/loggers/azuremonitor', sampling: { percentage: 10 } } },
      'apis/echo/schemas/s1/apiSchemaInformation.json': { properties: { contentType: 'application/vnd.ms-azure-apim.graphql.schema', document: { value: 'type Query { a: Int }' } } },
      'apis/echo/tags/t1/apiTagInformation.json': {},
      'apis/echo/tags/t2/tagApiInformation.json': {},
      'apis/echo/tags.json': [{ name: 't3' }],
      'products/p/tags/t1/productTagInformation.json': {},
      'products/p/tags/t2/tagProductInformation.json': {},
      'products/p/tags.json': [{ name: 't3' }],
    });
    await withFreshStore(async (store) => {
      const result = await importFolderToStore(dir, store, box, 'importer');
      assert.deepEqual(result.ignored, []);
      for (const id of ['diagnostics/azuremonitor', 'apis/echo/diagnostics/azuremonitor', 'apis/echo/schemas/s1', 'apis/echo/tags/t1', 'apis/echo/tags/t2', 'apis/echo/tags/t3', 'products/p/tags/t1', 'products/p/tags/t2', 'products/p/tags/t3']) {
        assert.ok(await store.get(id), `${id} is stored`);
      }
      assert.deepEqual(result.counts.apiTag, { created: 3, updated: 0, unchanged: 0, removed: 0 });
      // A replace with a folder that drops a diagnostic, a link and a schema removes them.
      const smaller = folder({ ...base, 'apis/echo/tags/t1/apiTagInformation.json': {} });
      // It removes more than the folder holds, which a replace does only when forced.
      const replaced = await importFolderToStore(smaller, store, box, 'importer', { mode: 'replace', force: true });
      assert.equal(replaced.counts.apiTag?.removed, 2);
      for (const id of ['diagnostics/azuremonitor', 'apis/echo/diagnostics/azuremonitor', 'apis/echo/schemas/s1', 'products/p/tags/t1']) assert.equal(await store.get(id), undefined, `${id} is removed`);
      assert.ok(await store.get('apis/echo/tags/t1'));
    });
  });

  for (const [what, files, file, reason] of [
    ['a diagnostic naming a missing logger', { 'diagnostics/azuremonitor/diagnosticInformation.json': { properties: { loggerId: '/loggers/nope' } } }, 'diagnostics/azuremonitor/diagnosticInformation.json', /loggerId.*Logger 'nope' not found/],
    ['a link to a missing tag', { 'apis/echo/tags/nope/apiTagInformation.json': {} }, 'apis/echo/tags/nope/apiTagInformation.json', /Tag not found/],
    ['a logger without its credentials', { 'loggers/ai/loggerInformation.json': { properties: { loggerType: 'applicationInsights' } } }, 'loggers/ai/loggerInformation.json', /credentials/],
    ['a schema without its document', { 'apis/echo/schemas/s/apiSchemaInformation.json': { properties: { contentType: 'application/vnd.oai.openapi.components+json' } } }, 'apis/echo/schemas/s/apiSchemaInformation.json', /document/],
    ['a tags.json that is not a list of names', { 'apis/echo/tags.json': { name: 't1' } }, 'apis/echo/tags.json', /JSON array/],
  ] as const) {
    it(`refuses ${what}, naming the file, and changes nothing`, async () => {
      await withFreshStore(async (store) => {
        const before = await exactState(store);
        await assert.rejects(importFolderToStore(folder({ ...base, ...files }), store, box, 'importer'), (err: unknown) => {
          assert.ok(err instanceof ConfigFolderError, String(err));
          assert.ok(err.message.startsWith(`${file}:`), err.message);
          assert.match(err.message, reason);
          return true;
        });
        assert.deepEqual(await exactState(store), before);
      });
    });
  }

  it('keeps one Logger-Credentials named value per clear-text logger secret across imports', async () => {
    const withKey = (key: string) => folder({ ...base, 'loggers/ai/loggerInformation.json': { properties: { loggerType: 'applicationInsights', credentials: { instrumentationKey: key } } } });
    await withFreshStore(async (store) => {
      const namedValues = async () => (await store.list({ kind: 'namedValue' })).items;
      await importFolderToStore(withKey('key-1'), store, box, 'importer');
      const [first, ...others] = await namedValues();
      assert.ok(first && others.length === 0, 'one named value holds the key');
      assert.match(String(first.body.displayName), /^Logger-Credentials-[0-9a-f]{24}$/);
      const reference = `{{${String(first.body.displayName)}}}`;
      const again = await importFolderToStore(withKey('key-1'), store, box, 'importer');
      assert.deepEqual(again.counts.logger, { created: 0, updated: 0, unchanged: 2, removed: 0 }, 'a re-import of the same secret changes nothing');
      assert.deepEqual((await namedValues()).map((nv) => nv.id), [first.id]);
      await importFolderToStore(withKey('key-2'), store, box, 'importer');
      await importFolderToStore(withKey('key-2'), store, box, 'importer', { mode: 'replace', force: true });
      const after = await namedValues();
      assert.deepEqual(after.map((nv) => nv.id), [first.id], 'a changed secret updates the same named value; a replace keeps it');
      assert.equal(box.open(String(after[0]!.body.value)), 'key-2');
      assert.deepEqual((await store.get('loggers/ai'))?.body.credentials, { instrumentationKey: reference });
    });
  });
});
