/** File-system reads for the configuration folder, turning every failure into ConfigFolderError. */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { findPrototypeKey, prototypeKeyMessage } from '../arm/prototype-keys.js';
import { ConfigFolderError } from './config-folder-error.js';
import type { FolderContext } from './folder-context.js';

export interface FolderEntries {
  /** Sub-folder names, sorted. */
  folders: string[];
  /** File names, sorted. */
  files: string[];
}

/** Lists a folder's entries (sorted so loading is deterministic); throws when it cannot be read. */
export async function listFolder(ctx: FolderContext, dir: string): Promise<FolderEntries> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    throw new ConfigFolderError(ctx.rel(dir), `cannot read folder (${describe(err)})`);
  }
  const folders: string[] = [];
  const files: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue; // .git, .DS_Store and editor files are never configuration
    let isDir = entry.isDirectory();
    if (entry.isSymbolicLink()) isDir = (await stat(join(dir, entry.name)).catch(() => undefined))?.isDirectory() ?? false;
    (isDir ? folders : files).push(entry.name);
  }
  const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  return { folders: folders.sort(byName), files: files.sort(byName) };
}

/** Whether a path exists (file or folder). */
export async function pathExists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** Reads a UTF-8 text file, dropping a byte-order mark (Windows tools write one). */
export async function readText(ctx: FolderContext, path: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new ConfigFolderError(ctx.rel(path), `cannot read file (${describe(err)})`);
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Reads and parses a JSON file; invalid JSON, or a `__proto__` key anywhere, names the file and the reason. */
export async function readJson(ctx: FolderContext, path: string): Promise<unknown> {
  const text = await readText(ctx, path);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text) as unknown;
  } catch (err) {
    throw new ConfigFolderError(ctx.rel(path), `invalid JSON (${describe(err)})`);
  }
  const prototypePath = findPrototypeKey(parsed);
  if (prototypePath !== undefined) throw new ConfigFolderError(ctx.rel(path), prototypeKeyMessage(prototypePath));
  return parsed;
}

function describe(err: unknown): string {
  if (err && typeof err === 'object' && 'code' in err && typeof err.code === 'string' && err.code === 'ENOENT') {
    return 'not found';
  }
  return err instanceof Error ? err.message : String(err);
}
