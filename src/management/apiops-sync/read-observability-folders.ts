/**
 * The parts of an APIOps extractor folder below an API or a product that hold diagnostics, tag
 * links and schemas (Azure/apiops layout): `apis/<api>/diagnostics/<id>/diagnosticInformation.json`,
 * `apis/<api>/tags/<tag>/apiTagInformation.json`, `apis/<api>/schemas/<id>/apiSchemaInformation.json`,
 * `products/<product>/tags/<tag>/productTagInformation.json` (`tagApiInformation.json` and
 * `tagProductInformation.json` in those folders, and `tags.json` lists, from other extractor
 * versions), and Gatehouse's own
 * `apis/<api>/operations/<op>/tags/<tag>/operationTagInformation.json`.
 */
import { join } from 'node:path';
import type { FolderContext } from '../apiops/folder-context.js';
import { ConfigFolderError } from '../apiops/config-folder-error.js';
import { listFolder, pathExists, readJson } from '../apiops/folder-files.js';
import { informationFiles } from './folder-paths.js';
import type { PlannedWrite } from './import-plan.js';
import { readRaw } from './read-import-folder.js';

/** The folders below an API this reader handles. */
export const apiObservabilityFolders: readonly string[] = ['diagnostics', 'tags', 'schemas'];

/** Reads `<dir>/<name>/<infoFile>` for each sub-folder (a link's file may have any of `infoFiles`' names; it takes no properties). */
async function readNamed(ctx: FolderContext, dir: string, infoFiles: readonly string[], segments: (name: string) => string[], link: boolean): Promise<PlannedWrite[]> {
  if (!(await pathExists(ctx, dir))) return [];
  const out: PlannedWrite[] = [];
  const entries = await listFolder(ctx, dir);
  for (const f of entries.files) ctx.ignore(join(dir, f), 'file not read');
  for (const sub of entries.folders) {
    let path = join(dir, sub, infoFiles[0]!);
    for (const candidate of infoFiles) if (await pathExists(ctx, join(dir, sub, candidate))) path = join(dir, sub, candidate);
    const info = await readRaw(ctx, path);
    // The extractor writes a tag link's file as `{}`: the folder names the tag.
    out.push({ file: info.file, segments: segments(info.name ?? sub), properties: link ? {} : info.properties });
  }
  return out;
}

/** Older extractors list an API's or product's tags in `tags.json`: `[{ "name": … }]`. */
async function readTagList(ctx: FolderContext, file: string, segments: (name: string) => string[]): Promise<PlannedWrite[]> {
  if (!(await pathExists(ctx, file))) return [];
  const list = await readJson(ctx, file);
  const shape = 'must be a JSON array of {"name": …}';
  if (!Array.isArray(list)) throw new ConfigFolderError(ctx.rel(file), shape);
  return list.map((item: unknown) => {
    const name = (item as { name?: unknown } | null)?.name;
    if (typeof name !== 'string' || name === '') throw new ConfigFolderError(ctx.rel(file), shape);
    return { file: ctx.rel(file), segments: segments(name), properties: {} };
  });
}

/** An API's diagnostics, schemas, tag links and its operations' tag links (`api` is the folder's API name). */
export async function readApiObservability(ctx: FolderContext, apiDir: string, api: string, operations: readonly string[]): Promise<PlannedWrite[]> {
  const out: PlannedWrite[] = [];
  out.push(...(await readNamed(ctx, join(apiDir, 'diagnostics'), [informationFiles.diagnostic], (n) => ['apis', api, 'diagnostics', n], false)));
  out.push(...(await readNamed(ctx, join(apiDir, 'schemas'), [informationFiles.apiSchema], (n) => ['apis', api, 'schemas', n], false)));
  out.push(...(await readNamed(ctx, join(apiDir, 'tags'), [informationFiles.apiTag, 'tagApiInformation.json'], (n) => ['apis', api, 'tags', n], true)));
  out.push(...(await readTagList(ctx, join(apiDir, 'tags.json'), (n) => ['apis', api, 'tags', n])));
  for (const op of operations) {
    out.push(...(await readNamed(ctx, join(apiDir, 'operations', op, 'tags'), [informationFiles.operationTag], (n) => ['apis', api, 'operations', op, 'tags', n], true)));
  }
  return out;
}

/** A product's tag links. */
export async function readProductTags(ctx: FolderContext, productDir: string, product: string): Promise<PlannedWrite[]> {
  return [
    ...(await readNamed(ctx, join(productDir, 'tags'), [informationFiles.productTag, 'tagProductInformation.json'], (n) => ['products', product, 'tags', n], true)),
    ...(await readTagList(ctx, join(productDir, 'tags.json'), (n) => ['products', product, 'tags', n])),
  ];
}
