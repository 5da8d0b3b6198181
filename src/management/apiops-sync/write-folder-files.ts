/**
 * Writing the files of an export: JSON information files (keys sorted, so the same resource
 * always gives the same bytes) and policy documents, folders created as needed. A private file
 * (one holding a secret in clear text) is written 0600 and every folder above it, up to the
 * export folder, is made 0700.
 */
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

export interface WriteOptions {
  /** The file holds a secret in clear text: owner-only file and folders. */
  private?: boolean;
}

/** `value` with the keys of every object sorted, recursively (array order is kept). */
export function withSortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withSortedKeys);
  if (typeof value !== 'object' || value === null) return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) sorted[key] = withSortedKeys((value as Record<string, unknown>)[key]);
  return sorted;
}

/** Writes `{ "properties": … }` (the extractor's shape) to `dir/relPath`, pretty-printed with sorted keys. */
export async function writeInformationFile(dir: string, relPath: string, properties: Record<string, unknown>, options: WriteOptions = {}): Promise<void> {
  await writeTextFile(dir, relPath, `${JSON.stringify({ properties: withSortedKeys(properties) }, null, 2)}\n`, options);
}

/** Writes a text file to `dir/relPath`, creating its folders. */
export async function writeTextFile(dir: string, relPath: string, text: string, options: WriteOptions = {}): Promise<void> {
  const parts = relPath.split('/');
  const path = join(dir, ...parts);
  if (!options.private) {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, text, 'utf8');
    return;
  }
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  // Folders an earlier, non-secret file created keep the default mode until a secret lands in them.
  for (let i = 1; i < parts.length; i++) await chmod(join(dir, ...parts.slice(0, i)), 0o700);
  await writeFile(path, text, { encoding: 'utf8', mode: 0o600 });
  // The mode given to writeFile applies to a new file only, and after the umask.
  await chmod(path, 0o600);
}
