/**
 * The specification file of an API folder, read to be kept beside the imported API so
 * `gatehouse export` and the management API's export return it under the same name
 * (api-specification/stored-specification.ts). GraphQL and OData documents are not kept; an
 * OpenAPI document's references to files beside it are inlined into the kept copy.
 */
import { join } from 'node:path';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { inlineExternalRefs } from '../openapi/inline-external-refs.js';
import type { SpecificationFamily, StoredSpecification } from '../api-specification/stored-specification.js';
import type { FolderContext } from './folder-context.js';
import { readText } from './folder-files.js';

const families: Readonly<Record<string, SpecificationFamily>> = {
  'specification.yaml': 'openapi',
  'specification.yml': 'openapi',
  'specification.json': 'openapi',
  'specification.wsdl': 'wsdl',
  'specification.wadl': 'wadl',
};

/** The folder's specification (the first of `files` that is one) and the file it came from. */
export async function readKeptSpecification(ctx: FolderContext, apiDir: string, files: readonly string[]): Promise<{ file: string; spec: StoredSpecification } | undefined> {
  const fileName = files.find((f) => Object.hasOwn(families, f));
  if (fileName === undefined) return undefined;
  const path = join(apiDir, fileName);
  const text = await readText(ctx, path);
  const family = families[fileName]!;
  const value = family === 'openapi' ? await selfContained(text, fileName, apiDir) : text;
  return { file: ctx.rel(path), spec: { family, fileName, value } };
}

/**
 * An OpenAPI document that refers to files beside it is kept with those parts inlined, so an
 * export (which writes the specification alone) imports again. A document without external
 * references, or one that cannot be read (its operations' reader reports why), is kept as written.
 */
async function selfContained(text: string, fileName: string, apiDir: string): Promise<string> {
  try {
    const json = fileName.endsWith('.json');
    const document = (json ? JSON.parse(text) : parseYaml(text)) as unknown;
    if (typeof document !== 'object' || document === null || Array.isArray(document)) return text;
    const inlined = await inlineExternalRefs(document as Record<string, unknown>, { specDir: apiDir, root: apiDir });
    if (JSON.stringify(inlined) === JSON.stringify(document)) return text;
    return json ? `${JSON.stringify(inlined, null, 2)}\n` : stringifyYaml(inlined);
  } catch {
    return text;
  }
}
