import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { OpenApiError, operationsFromSpecification } from '../../../src/management/openapi/operations-from-specification.js';
import { readImportFolder } from '../../../src/management/apiops-sync/read-import-folder.js';
import { tempFolders } from '../../helpers/temp-folders.js';

const tempDir = tempFolders('gatehouse-refs-');

/** A folder with the files given (relative path → text); returns its path. */
function folder(files: Record<string, string>): string {
  const dir = tempDir();
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const spec = (ref: string): string => `openapi: 3.0.1
info: {title: Pets, version: '1'}
paths:
  /pets/{id}:
    get:
      operationId: getPet
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        '200':
          description: a pet
          content:
            application/json:
              schema: {$ref: '${ref}'}
`;
const schemaOf = async (apiDir: string, ref: string): Promise<unknown> => {
  const ops = await operationsFromSpecification(spec(ref), 'yaml', { requiredQueryParameters: 'query' }, { specDir: apiDir, root: apiDir });
  return ops[0]!.responses![0]!.representations![0]!.schema;
};

describe('OpenAPI external $ref to files beside the specification (folder import)', () => {
  it('inlines a file part, references inside that file (to itself and to other files) and whole files', async () => {
    const api = folder({
      'schemas/pet.yaml': "Pet:\n  type: object\n  properties:\n    owner: {$ref: '#/Owner'}\n    tag: {$ref: './tag.json'}\nOwner: {type: string}\n",
      'schemas/tag.json': '{"type": "integer"}',
    });
    assert.deepEqual(await schemaOf(api, './schemas/pet.yaml#/Pet'), {
      type: 'object',
      properties: { owner: { type: 'string' }, tag: { type: 'integer' } },
    });
  });

  it('cuts a chain of files that comes back to itself, as recursive schemas are cut', async () => {
    const api = folder({ 'a.yaml': "A: {type: object, properties: {b: {$ref: './b.yaml#/B'}}}\n", 'b.yaml': "B: {type: object, properties: {a: {$ref: './a.yaml#/A'}}}\n" });
    const schema = (await schemaOf(api, './a.yaml#/A')) as { properties: { b: { properties: { a: unknown } } } };
    assert.deepEqual(schema.properties.b.properties.a, { description: 'recursive schema reference' });
  });

  it('refuses a reference that leaves the API folder, is absolute, a URL or a link out, naming it', async () => {
    const outside = folder({ 'secret.yaml': 'S: {type: string}\n' });
    const api = folder({ 'inner/x.yaml': 'X: {type: string}\n' });
    symlinkSync(join(outside, 'secret.yaml'), join(api, 'link.yaml'));
    const refused: Array<[string, RegExp]> = [
      [`../${outside.split('/').pop()}/secret.yaml#/S`, /leaves the API folder/],
      [join(outside, 'secret.yaml') + '#/S', /not a relative path inside the API folder/],
      ['https://example.com/pet.yaml#/Pet', /not a relative path inside the API folder/],
      ['file:///etc/passwd', /not a relative path inside the API folder/],
      ['./link.yaml#/S', /leaves the API folder/],
      ['./missing.yaml#/S', /file 'missing\.yaml' does not exist/],
      ['./inner/x.yaml#/Nope', /inner\/x\.yaml has nothing at '#\/Nope'/],
    ];
    for (const [ref, reason] of refused) {
      await assert.rejects(schemaOf(api, ref), (err: unknown) => err instanceof OpenApiError && reason.test(err.reason), ref);
    }
  });

  it('without a folder (the management API, by value or link) an external reference is still refused', async () => {
    await assert.rejects(operationsFromSpecification(spec('./pet.yaml#/Pet'), 'yaml', { requiredQueryParameters: 'query' }), /external \$ref '\.\/pet\.yaml#\/Pet' is not supported/);
  });

  it('a folder import keeps the specification self-contained for export, and names the file of a refused reference', async () => {
    const root = folder({
      'apis/pets/apiInformation.json': JSON.stringify({ properties: { displayName: 'Pets', path: 'pets' } }),
      'apis/pets/specification.yaml': spec('./schemas/pet.yaml#/Pet'),
      'apis/pets/schemas/pet.yaml': 'Pet: {type: object, properties: {name: {type: string}}}\n',
    });
    const plan = await readImportFolder(root);
    const kept = plan.apis[0]!.children.find((c) => c.keptSpecification);
    assert.ok(kept);
    const document = parseYaml(String(kept.properties.value)) as Record<string, any>;
    assert.deepEqual(document.paths['/pets/{id}'].get.responses['200'].content['application/json'].schema, { type: 'object', properties: { name: { type: 'string' } } });
    writeFileSync(join(root, 'apis/pets/specification.yaml'), spec('../../outside.yaml#/X'));
    await assert.rejects(readImportFolder(root), /apis\/pets\/specification\.yaml: \$ref '\.\.\/\.\.\/outside\.yaml#\/X' in the specification leaves the API folder/);
  });
});
