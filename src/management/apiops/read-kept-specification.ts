/**
 * The specification file of an API folder, read to be kept beside the imported API so
 * `gatehouse export` and the management API's export return it under the same name
 * (api-specification/stored-specification.ts). GraphQL and OData documents are not kept.
 */
import { join } from 'node:path';
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
  return { file: ctx.rel(path), spec: { family: families[fileName]!, fileName, value: await readText(ctx, path) } };
}
