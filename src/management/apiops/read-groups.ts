/**
 * Reads `groups/<name>/groupInformation.json`. The model keeps groups only as names on products
 * and users, so this validates the files and returns the names that exist.
 */
import { join } from 'node:path';
import type { FolderContext } from './folder-context.js';
import { listFolder } from './folder-files.js';
import { readInformationFile, resourceName } from './information-file.js';
import { UniqueNames } from './unique-names.js';

/** Azure's built-in groups, which exist without a folder (reference §5.1). */
export const builtInGroups: readonly string[] = ['administrators', 'developers', 'guests'];

/** Reads every group folder and returns the group names. */
export async function readGroups(ctx: FolderContext, dir: string): Promise<string[]> {
  const out: string[] = [];
  const names = new UniqueNames('group');
  for (const folder of (await listFolder(ctx, dir)).folders) {
    const info = await readInformationFile(ctx, join(dir, folder, 'groupInformation.json'));
    info.properties.requiredString('displayName', true);
    info.properties.enumValue('type', ['custom', 'system', 'external'] as const);
    const name = resourceName(info, folder);
    names.claim(name, info.file);
    out.push(name);
  }
  return out;
}
