/**
 * The specification an API folder was imported from is kept and exported back under its name
 * (specification.wsdl, .wadl, .yaml), self-contained when it referred to files beside it, and
 * export → import into a fresh store → export is byte-stable with it.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { exportStoreToFolder } from '../../../src/management/apiops-sync/export-store-to-folder.js';
import { importFolderToStore } from '../../../src/management/apiops-sync/import-folder-to-store.js';
import { SecretBox } from '../../../src/store/secret-box.js';
import { SqliteEntityStore } from '../../../src/store/sqlite-entity-store.js';
import { tempFolders } from '../../helpers/temp-folders.js';

const calculator = readFileSync(new URL('../../fixtures/soap/calculator.wsdl', import.meta.url), 'utf8');
const orders = readFileSync(new URL('../../fixtures/soap/orders.wadl', import.meta.url), 'utf8');
const tempDir = tempFolders('gatehouse-kept-');

function write(dir: string, files: Record<string, string>): string {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

function filesOf(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (at: string): void => {
    for (const e of readdirSync(at, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(at, e.name));
      else out.set(relative(dir, join(at, e.name)), readFileSync(join(at, e.name), 'utf8'));
    }
  };
  walk(dir);
  return out;
}

async function importThenExport(folder: string): Promise<Map<string, string>> {
  const store = await SqliteEntityStore.open({ dataDir: tempDir() });
  try {
    const box = new SecretBox(randomBytes(32));
    await importFolderToStore(folder, store, box, 'importer');
    const out = join(tempDir(), 'export');
    await exportStoreToFolder(store, box, out, { exportSecrets: true });
    return filesOf(out);
  } finally {
    await store.close();
  }
}

const info = (properties: Record<string, unknown>) => JSON.stringify({ properties: { subscriptionRequired: false, ...properties } });
const petSpec = `openapi: 3.0.1
info: {title: Pets, version: '1'}
paths:
  /pets:
    get:
      operationId: listPets
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: './schemas/pet.yaml#/Pet'}}}}
`;

describe('kept specifications in a folder round trip', () => {
  it('exports the WSDL, WADL and OpenAPI documents back, and a second round gives the same bytes', async () => {
    const folder = write(tempDir(), {
      'apis/calc/apiInformation.json': info({ displayName: 'Calculator', path: 'calc', type: 'soap' }),
      'apis/calc/specification.wsdl': calculator,
      'apis/orders/apiInformation.json': info({ displayName: 'Orders', path: 'orders' }),
      'apis/orders/specification.wadl': orders,
      'apis/pets/apiInformation.json': info({ displayName: 'Pets', path: 'pets' }),
      'apis/pets/specification.yaml': petSpec,
      'apis/pets/schemas/pet.yaml': 'Pet: {type: object, properties: {name: {type: string}}}\n',
    });
    const first = await importThenExport(folder);
    assert.equal(first.get('apis/calc/specification.wsdl'), calculator);
    assert.equal(first.get('apis/orders/specification.wadl'), orders);
    assert.equal(JSON.parse(first.get('apis/calc/operations/add/operationInformation.json')!).properties.urlTemplate, '/?soapAction=http://example.org/calculator/Add');
    // The referenced schema is inlined into the exported document, which stands alone.
    assert.equal(first.has('apis/pets/schemas/pet.yaml'), false);
    const pets = parseYaml(first.get('apis/pets/specification.yaml')!) as Record<string, any>;
    assert.deepEqual(pets.paths['/pets'].get.responses['200'].content['application/json'].schema, { type: 'object', properties: { name: { type: 'string' } } });

    const exportDir = write(tempDir(), Object.fromEntries(first));
    const second = await importThenExport(exportDir);
    assert.deepEqual([...second.keys()].sort(), [...first.keys()].sort());
    for (const [path, text] of first) assert.equal(second.get(path), text, `${path} is byte-identical`);
  });
});
