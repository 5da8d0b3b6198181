/** Reads `version sets/<name>/versionSetInformation.json` (reference §5.2 "Version set"). */
import { join } from 'node:path';
import type { ApiVersionSet } from '../../model/resources.js';
import { ConfigFolderError } from './config-folder-error.js';
import type { FolderContext } from './folder-context.js';
import { listFolder, pathExists } from './folder-files.js';
import { readInformationFile, resourceName } from './information-file.js';
import type { JsonFields } from './json-fields.js';
import { UniqueNames } from './unique-names.js';

// Older extractor versions wrote apiVersionSetInformation.json; both are real exports.
const fileNames = ['versionSetInformation.json', 'apiVersionSetInformation.json'];

/** Reads every version set folder. */
export async function readVersionSets(ctx: FolderContext, dir: string): Promise<ApiVersionSet[]> {
  const out: ApiVersionSet[] = [];
  const names = new UniqueNames('version set');
  for (const folder of (await listFolder(ctx, dir)).folders) {
    const file = await firstExisting(join(dir, folder), fileNames);
    if (!file) throw new ConfigFolderError(ctx.rel(join(dir, folder, fileNames[0]!)), 'file is missing');
    const info = await readInformationFile(ctx, file);
    const set = versionSetFromProperties(resourceName(info, folder), info.properties);
    names.claim(set.name, info.file);
    out.push(set);
  }
  return out;
}

async function firstExisting(dir: string, names: string[]): Promise<string | undefined> {
  for (const n of names) {
    const path = join(dir, n);
    if (await pathExists(path)) return path;
  }
  return undefined;
}

/** A version set's ARM `properties` → the model. */
export function versionSetFromProperties(name: string, p: JsonFields): ApiVersionSet {
  const versioningScheme = p.enumValue('versioningScheme', ['Segment', 'Query', 'Header'] as const) ?? p.fail('versioningScheme', 'is required');
  const set: ApiVersionSet = {
    name,
    displayName: p.requiredString('displayName', true),
    versioningScheme,
    versionQueryName: p.string('versionQueryName'),
    versionHeaderName: p.string('versionHeaderName'),
    description: p.string('description'),
  };
  // The gateway cannot find the version without its parameter name (reference §1.2).
  if (versioningScheme === 'Query' && !set.versionQueryName) p.fail('versionQueryName', 'is required when versioningScheme is Query');
  if (versioningScheme === 'Header' && !set.versionHeaderName) p.fail('versionHeaderName', 'is required when versioningScheme is Header');
  return set;
}
