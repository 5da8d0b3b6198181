/**
 * File-system reads for the configuration folder, turning every failure into ConfigFolderError.
 * Each folder is listed once per reading session (FolderContext) and existence checks are
 * answered from those listings: a 10,000-API folder asks a dozen questions per API, and a
 * `stat` for each was most of the reader's time.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, sep } from 'node:path';
import { findPrototypeKey, prototypeKeyMessage } from '../arm/prototype-keys.js';
import { ConfigFolderError } from './config-folder-error.js';
import type { FolderContext } from './folder-context.js';

export interface FolderEntries {
  /** Sub-folder names, sorted. */
  folders: string[];
  /** File names, sorted. */
  files: string[];
}

interface Listing extends FolderEntries {
  kinds: Map<string, 'folder' | 'file'>;
}

/** The listings of one reading session, by absolute folder path (promises, so concurrent reads share one readdir). */
const listings = new WeakMap<FolderContext, Map<string, Promise<Listing>>>();

function listing(ctx: FolderContext, dir: string): Promise<Listing> {
  let session = listings.get(ctx);
  if (!session) listings.set(ctx, (session = new Map()));
  let found = session.get(dir);
  if (!found) {
    found = readFolderEntries(ctx, dir).then((entries) => ({ ...entries, kinds: new Map([...entries.folders.map((f) => [f, 'folder'] as const), ...entries.files.map((f) => [f, 'file'] as const)]) }));
    session.set(dir, found);
  }
  return found;
}

/** Lists a folder's entries (sorted so loading is deterministic), once per session; throws when it cannot be read. */
export async function listFolder(ctx: FolderContext, dir: string): Promise<FolderEntries> {
  const { folders, files } = await listing(ctx, dir);
  // Copies: callers may filter or sort what they get.
  return { folders: [...folders], files: [...files] };
}

async function readFolderEntries(ctx: FolderContext, dir: string): Promise<FolderEntries> {
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

/** What `path` is in the session's folder: from its parent's listing (dot entries, which listings skip, count as absent). */
async function entryKind(ctx: FolderContext, path: string): Promise<'folder' | 'file' | undefined> {
  if (path === ctx.root) return 'folder';
  // Paths are built with join() from the resolved root, so a path inside it starts with it.
  if (!path.startsWith(ctx.root.endsWith(sep) ? ctx.root : ctx.root + sep)) return undefined;
  const parent = dirname(path);
  if ((await entryKind(ctx, parent)) !== 'folder') return undefined;
  return (await listing(ctx, parent)).kinds.get(basename(path));
}

/** Whether a path inside the session's folder exists (file or folder). */
export async function pathExists(ctx: FolderContext, path: string): Promise<boolean> {
  return (await entryKind(ctx, path)) !== undefined;
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
