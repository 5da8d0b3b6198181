/**
 * The APIs and groups a product links to, in both forms the extractor has written:
 * `products/<p>/apis/<link>/productApiInformation.json` (current; the API is the last segment of
 * `properties.apiId`, or the folder name when the file is `{}`) and `products/<p>/apis.json`
 * (older: `[{"name": "<api>"}]`). Groups likewise with `groups/<link>/productGroupInformation.json`
 * (`properties.groupId`) and `groups.json`.
 */
import { join } from 'node:path';
import { ConfigFolderError } from './config-folder-error.js';
import type { FolderContext } from './folder-context.js';
import { listFolder, pathExists, readJson } from './folder-files.js';
import { readInformationFile } from './information-file.js';
import { lastSegment } from './resource-id.js';

export interface LinkedName {
  /** The linked resource's name. */
  name: string;
  /** The file that declared the link, relative to the configuration folder. */
  file: string;
}

export type LinkKind = 'apis' | 'groups';

const linkFiles: Record<LinkKind, { file: string; idProperty: string }> = {
  apis: { file: 'productApiInformation.json', idProperty: 'apiId' },
  groups: { file: 'productGroupInformation.json', idProperty: 'groupId' },
};

/** Reads the product's links of one kind from the folder form and the list form. */
export async function readProductLinks(ctx: FolderContext, productDir: string, kind: LinkKind): Promise<LinkedName[]> {
  const out: LinkedName[] = [];
  const folder = join(productDir, kind);
  if (await pathExists(folder)) {
    for (const link of (await listFolder(ctx, folder)).folders) {
      const info = await readInformationFile(ctx, join(folder, link, linkFiles[kind].file));
      const id = info.properties.string(linkFiles[kind].idProperty);
      out.push({ name: id !== undefined && id.trim() !== '' ? lastSegment(id) : link, file: info.file });
    }
  }
  const listPath = join(productDir, `${kind}.json`);
  if (await pathExists(listPath)) {
    const file = ctx.rel(listPath);
    const list = await readJson(ctx, listPath);
    if (!Array.isArray(list)) throw new ConfigFolderError(file, 'must be a JSON array of {"name": "..."} objects');
    list.forEach((entry: unknown, i) => {
      const name =
        typeof entry === 'string'
          ? entry
          : entry && typeof entry === 'object' && 'name' in entry && typeof entry.name === 'string'
            ? entry.name
            : undefined;
      if (!name) throw new ConfigFolderError(file, `entry [${i}] must be an object with a string 'name'`);
      out.push({ name: lastSegment(name), file });
    });
  }
  return out;
}
