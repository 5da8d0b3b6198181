/**
 * Reads an APIOps information file: `{"name"?: "...", "properties": {...}}`, the shape the
 * extractor writes for every resource (reference, "Test corpora available publicly").
 */
import { ConfigFolderError } from './config-folder-error.js';
import type { FolderContext } from './folder-context.js';
import { pathExists, readJson } from './folder-files.js';
import { JsonFields } from './json-fields.js';

export interface InformationFile {
  /** The file, relative to the configuration folder. */
  file: string;
  /** The resource name written in the file, when the extractor wrote one. */
  name?: string;
  /** The `properties` object (empty when the file has none, as link files may). */
  properties: JsonFields;
}

/** Reads an information file that must exist. */
export async function readInformationFile(ctx: FolderContext, path: string): Promise<InformationFile> {
  const file = ctx.rel(path);
  if (!(await pathExists(ctx, path))) throw new ConfigFolderError(file, 'file is missing');
  const top = JsonFields.of(file, await readJson(ctx, path), '');
  const name = top.string('name');
  if (name !== undefined && name.trim() === '') top.fail('name', 'must not be empty');
  const properties = top.object('properties') ?? new JsonFields(file, {}, 'properties');
  return { file, name, properties };
}

/**
 * The resource name: the folder name, unless the file names the resource (older extractor
 * versions named folders after display names and wrote the real name inside).
 */
export function resourceName(info: InformationFile, folderName: string): string {
  return info.name ?? folderName;
}
