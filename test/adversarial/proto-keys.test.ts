/**
 * Issue 11 finding 8: `__proto__`, `constructor`, `toString` in a resource's `properties` passed
 * validation. A subscription PUT with `"__proto__": {"primaryKey": ""}` answered 201 and stored
 * an empty key (the validator's copy took the object as its prototype). Every such key is now a
 * 400 ValidationError in the management API's body, in REST bodies, network bodies and APIOps
 * folder files, and a `$filter` cannot reach Object.prototype either.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigFolderError } from '../../src/management/apiops/config-folder-error.js';
import { importFolderToStore } from '../../src/management/apiops-sync/import-folder-to-store.js';
import { createLogger } from '../../src/core/logger.js';
import { importConfigFolder } from '../../src/main/folder-import.js';
import { createSecretResolver } from '../../src/secrets/secret-resolver.js';
import { startManagement, storeState, type ManagementHarness } from '../management/arm/arm-harness.js';
import { useTempSqliteStore } from '../helpers/temp-sqlite-store.js';

/** A body whose text has `__proto__` as a real JSON key (an object literal would set the prototype instead). */
const withProtoKey = (json: string): string => json.replace('"PROTO"', '"__proto__"');

describe('adversarial: prototype keys in management request bodies', () => {
  let h: ManagementHarness;
  before(async () => {
    h = await startManagement();
    const made = await h.call('PUT', 'products/p', { body: { properties: { displayName: 'P', subscriptionRequired: true, state: 'published' } } });
    assert.equal(made.status, 201, made.text);
  });
  after(() => h.close());

  /** Sends `raw` and checks a 400 ValidationError naming `target`, with the store unchanged. */
  async function refused(method: string, path: string, raw: string, target: string): Promise<void> {
    const before = await storeState(h.store);
    const r = await h.call(method, path, { raw, headers: method === 'PATCH' ? { 'if-match': '*' } : undefined });
    assert.equal(r.status, 400, r.text);
    assert.equal(r.body.error.code, 'ValidationError', r.text);
    assert.ok(
      (r.body.error.details as Array<{ target: string }>).some((d) => d.target === target),
      `a detail targets '${target}': ${r.text}`,
    );
    assert.deepEqual(await storeState(h.store), before, 'nothing was written');
  }

  it("refuses the probe's subscription with __proto__ carrying an empty primary key", () =>
    refused(
      'PUT',
      'subscriptions/s1',
      withProtoKey('{"properties":{"displayName":"S","scope":"/products/p","state":"active","PROTO":{"primaryKey":""}}}'),
      'properties.__proto__',
    ));

  for (const key of ['constructor', 'toString', 'prototype', 'hasOwnProperty', 'valueOf']) {
    it(`refuses '${key}' in properties as an unknown property`, () =>
      refused('PUT', 'subscriptions/s1', JSON.stringify({ properties: { displayName: 'S', scope: '/products/p', [key]: { primaryKey: '' } } }), key));
  }

  it('refuses a prototype key in a PATCH', () =>
    refused('PATCH', 'products/p', withProtoKey('{"properties":{"PROTO":{"displayName":""}}}'), 'properties.__proto__'));

  it('refuses a prototype key outside properties', () =>
    refused('PUT', 'products/q', withProtoKey('{"PROTO":{"properties":{}},"properties":{"displayName":"Q"}}'), '__proto__'));

  it('refuses inherited names inside a nested schema object', () =>
    refused('PUT', 'backends/b', JSON.stringify({ properties: { url: 'http://127.0.0.1:9', tls: { constructor: true } } }), 'tls.constructor'));

  it('refuses __proto__ as a name in a free-form map (backend credential headers)', () =>
    refused(
      'PUT',
      'backends/b',
      withProtoKey('{"properties":{"url":"http://127.0.0.1:9","credentials":{"header":{"PROTO":["x"]}}}}'),
      'properties.credentials.header.__proto__',
    ));

  it('refuses __proto__ deep inside a free-form value (operation examples)', async () => {
    assert.equal((await h.call('PUT', 'apis/a', { body: { properties: { displayName: 'A', path: 'a' } } })).status, 201);
    await refused(
      'PUT',
      'apis/a/operations/o',
      withProtoKey('{"properties":{"displayName":"O","method":"GET","urlTemplate":"/o","responses":[{"statusCode":200,"representations":[{"contentType":"application/json","examples":{"default":{"value":{"PROTO":{"x":1}}}}}]}]}}'),
      'properties.responses[0].representations[0].examples.default.value.__proto__',
    );
  });

  it('refuses __proto__ in a Microsoft.Network body', async () => {
    const path = '/subscriptions/sub1/resourceGroups/rg1/providers/Microsoft.Network/virtualNetworks/vnet1';
    const before = await storeState(h.store);
    const r = await h.call('PUT', path, {
      raw: withProtoKey('{"location":"westeurope","tags":{"PROTO":"x"},"properties":{"addressSpace":{"addressPrefixes":["10.0.0.0/16"]}}}'),
      apiVersion: '2023-09-01',
    });
    assert.equal(r.status, 400, r.text);
    assert.equal(r.body.error.details[0].target, 'tags.__proto__', r.text);
    assert.deepEqual(await storeState(h.store), before);
  });

  it('a $filter on an inherited name matches nothing', async () => {
    for (const field of ['constructor', '__proto__', 'toString']) {
      const r = await h.call('GET', `products?$filter=${encodeURIComponent(`properties/${field} ne null`)}`);
      assert.equal(r.status, 200, r.text);
      assert.deepEqual(r.body.value, [], `properties/${field} names no property`);
    }
  });

  it('still accepts a subscription with ordinary properties and its own key', async () => {
    const r = await h.call('PUT', 'subscriptions/s2', { body: { properties: { displayName: 'S2', scope: '/products/p', state: 'active', primaryKey: 'k-primary-1' } } });
    assert.equal(r.status, 201, r.text);
    const secrets = await h.call('POST', 'subscriptions/s2/listSecrets');
    assert.equal(secrets.body.primaryKey, 'k-primary-1');
  });
});

describe('adversarial: prototype keys in APIOps folders', () => {
  const sample = new URL('../fixtures/apiops/sample/', import.meta.url).pathname;
  const temp = useTempSqliteStore('gatehouse-proto-folder-');
  const { root, box } = temp;

  /** A copy of the sample whose subscription file gets `extra` (raw JSON text) in its properties. */
  function damagedSample(name: string, extra: string): { dir: string; file: string } {
    const dir = join(root, name);
    cpSync(sample, dir, { recursive: true });
    const file = 'subscriptions/subscription1/subscriptionInformation.json';
    const json = readFileSync(join(dir, file), 'utf8');
    writeFileSync(join(dir, file), json.replace('"properties": {', `"properties": { ${extra},`));
    return { dir, file };
  }

  it('the import refuses __proto__ naming the file, and writes nothing', async () => {
    const { dir, file } = damagedSample('proto-import', '"__proto__": { "primaryKey": "" }');
    await assert.rejects(importFolderToStore(dir, temp.store(), box, 'importer'), (err: unknown) => {
      assert.ok(err instanceof ConfigFolderError, String(err));
      assert.equal(err.file, file);
      assert.match(err.reason, /__proto__/);
      return true;
    });
    assert.deepEqual(await temp.store().all(), []);
  });

  it('start --config refuses __proto__ naming the file, and writes nothing', async () => {
    const { dir, file } = damagedSample('proto-config', '"__proto__": { "primaryKey": "" }');
    const config = { dir, store: temp.store(), sealer: box, secrets: createSecretResolver(), serviceName: 'gatehouse', logger: createLogger('silent') };
    await assert.rejects(importConfigFolder(config, () => undefined), (err: unknown) => {
      assert.ok(err instanceof ConfigFolderError, String(err));
      assert.equal(err.file, file);
      assert.match(err.reason, /__proto__/);
      return true;
    });
    assert.deepEqual(await temp.store().all(), []);
  });

  it('the import refuses constructor in properties as the REST API does', async () => {
    const { dir, file } = damagedSample('constructor-import', '"constructor": { "primaryKey": "" }');
    await assert.rejects(importFolderToStore(dir, temp.store(), box, 'importer'), (err: unknown) => {
      assert.ok(err instanceof ConfigFolderError, String(err));
      assert.equal(err.file, file);
      assert.match(err.reason, /ValidationError.*constructor/);
      return true;
    });
  });
});
