/**
 * Where the key that seals secrets at rest comes from: `GATEHOUSE_ENCRYPTION_KEY` when set,
 * else `encryption.key` in the data folder, generated (mode 0600) at first start.
 * Losing the key loses every sealed secret, so the file is never replaced once written.
 */
import { randomBytes } from 'node:crypto';
import { link, mkdir, open, readFile, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { privateFileProblem } from '../core/private-file.js';
import { SECRET_KEY_BYTES, SecretBox } from './secret-box.js';

/** The key file's name inside the data folder. */
export const ENCRYPTION_KEY_FILE = 'encryption.key';
/** The environment variable that, when set, supplies the key (and wins over the file). */
export const ENCRYPTION_KEY_ENV = 'GATEHOUSE_ENCRYPTION_KEY';

/** A bad key or key file; the message says what to fix and never contains the key. */
export class EncryptionKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EncryptionKeyError';
  }
}

export interface LoadedEncryptionKey {
  key: Buffer;
  /** `environment`: from GATEHOUSE_ENCRYPTION_KEY; `file`: read; `generated`: written now. */
  source: 'environment' | 'file' | 'generated';
  /** The key file, when the key came from one. */
  path?: string;
}

/** Decodes a key written as 64 hex digits or as base64/base64url of 32 bytes; `origin` names it in errors. */
export function parseEncryptionKey(text: string, origin: string): Buffer {
  const value = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(value)) return Buffer.from(value, 'hex');
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(value)) {
    const key = Buffer.from(value, 'base64');
    // Buffer's decoder skips what it does not understand; re-encoding proves every character counted.
    const canonical = value.replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '');
    const exact = key.toString('base64').replace(/=+$/, '') === canonical;
    if (exact && key.length === SECRET_KEY_BYTES) return key;
    if (exact) {
      throw new EncryptionKeyError(
        `${origin} must hold a ${SECRET_KEY_BYTES}-byte key (64 hex digits or 44 base64 characters); it decodes to ${key.length} bytes`,
      );
    }
  }
  throw new EncryptionKeyError(
    `${origin} must hold a ${SECRET_KEY_BYTES}-byte key written as 64 hex digits or as base64 (for example: openssl rand -base64 32)`,
  );
}

/** Finds the encryption key: the environment first, then the data folder's key file, made when missing. */
export async function loadEncryptionKey(options: {
  dataDir: string;
  env?: Record<string, string | undefined>;
}): Promise<LoadedEncryptionKey> {
  const fromEnv = (options.env ?? process.env)[ENCRYPTION_KEY_ENV];
  // An empty variable (a blank line in a compose file) means "not set", not "a bad key".
  if (fromEnv !== undefined && fromEnv.trim() !== '') {
    return { key: parseEncryptionKey(fromEnv, ENCRYPTION_KEY_ENV), source: 'environment' };
  }
  const path = join(options.dataDir, ENCRYPTION_KEY_FILE);
  const existing = await readKeyFile(path);
  if (existing) return { key: existing, source: 'file', path };
  await mkdir(options.dataDir, { recursive: true, mode: 0o700 });
  const key = randomBytes(SECRET_KEY_BYTES);
  if (await createExclusive(path, `${key.toString('base64')}\n`)) return { key, source: 'generated', path };
  // Another process created it first: use theirs, or the two would seal with different keys.
  const theirs = await readKeyFile(path);
  if (!theirs) throw new EncryptionKeyError(`the encryption key file ${path} vanished while it was being created`);
  return { key: theirs, source: 'file', path };
}

/** The SecretBox of the configured key (see loadEncryptionKey). */
export async function openSecretBox(options: {
  dataDir: string;
  env?: Record<string, string | undefined>;
}): Promise<{ box: SecretBox; source: LoadedEncryptionKey['source']; path?: string }> {
  const loaded = await loadEncryptionKey(options);
  return { box: new SecretBox(loaded.key), source: loaded.source, path: loaded.path };
}

async function readKeyFile(path: string): Promise<Buffer | undefined> {
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  if (!info.isFile()) throw new EncryptionKeyError(`the encryption key path ${path} is not a file`);
  // Like ssh with private keys: a key others can read is refused rather than used.
  const problem = privateFileProblem(info, path, 'encryption key');
  if (problem) throw new EncryptionKeyError(problem);
  return parseEncryptionKey(await readFile(path, 'utf8'), `the encryption key file ${path}`);
}

/**
 * Writes `content` to `path` only if no file is there, never leaving a half-written key for a
 * concurrent reader: the text goes to a private temporary file first, then is linked into place.
 */
async function createExclusive(path: string, content: string): Promise<boolean> {
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  const handle = await open(temporary, 'wx', 0o600);
  try {
    await handle.writeFile(content, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await link(temporary, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await unlink(temporary);
  }
}
