/**
 * What the last import of a configuration folder wrote, kept IN the store (issue 14 §1): the
 * next import of the same folder removes what that record lists and the folder no longer has,
 * while resources the folder never had (made through the management API) stay. The record is
 * an entity of a kind the ARM API does not serve and `export` does not write, under an id no
 * ARM path can name, and it is written in the import's own transaction.
 */
import { createHash } from 'node:crypto';
import type { EntityTransaction } from '../../core/entity-store.js';

/** The stored kind of the record: not an ARM kind, so no management API route reaches it. */
export const folderImportRecordKind = 'folderImportRecord';

/** Store id (lower case) → the folder file it came from (relative to the folder). */
export type ImportedResources = ReadonlyMap<string, string>;

/** The record's id for the folder at absolute path `folder`: one record per folder. */
export function folderImportRecordId(folder: string): string {
  // A leading '.' is no ARM collection name, so the id never meets a resource's.
  return `.gatehouse/folder-imports/${createHash('sha256').update(folder).digest('hex').slice(0, 32)}`;
}

/** What the last import of `folder` wrote; empty when it was never imported. */
export async function readFolderImportRecord(tx: EntityTransaction, folder: string): Promise<ImportedResources> {
  const stored = await tx.get(folderImportRecordId(folder));
  const resources = stored?.body.resources;
  if (typeof resources !== 'object' || resources === null || Array.isArray(resources)) return new Map();
  return new Map(Object.entries(resources as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

/** Records what this import of `folder` wrote; writes nothing when the record already says so (no new configuration version). */
export async function writeFolderImportRecord(tx: EntityTransaction, folder: string, resources: ImportedResources): Promise<void> {
  const previous = await readFolderImportRecord(tx, folder);
  if (previous.size === resources.size && [...resources].every(([id, file]) => previous.get(id) === file)) return;
  await tx.put({ kind: folderImportRecordKind, id: folderImportRecordId(folder), parent: '', body: { folder, resources: Object.fromEntries(resources) } });
}
