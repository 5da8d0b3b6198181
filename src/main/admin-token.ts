/**
 * The management API's admin token (issue 3 §4): `--admin-token` when given, else the token in
 * `<data>/admin-token`, generated (256 random bits, file mode 0600) at first start. The token is
 * never printed; the operator reads the file, whose path `start` prints.
 *
 * The generated token is hexadecimal: it goes on command lines (`--admin-token "$TOKEN"`), and a
 * value that starts with a dash, as one base64url token in 64 does, is read there as an option.
 */
import { randomBytes } from 'node:crypto';
import { open, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { PrivateFileModeError, privateFileProblem } from '../core/private-file.js';

/** The token file's name inside the data folder. */
export const ADMIN_TOKEN_FILE = 'admin-token';

export interface AdminToken {
  token: string;
  /** `option`: --admin-token; `file`: read from the data folder; `generated`: written now. */
  source: 'option' | 'file' | 'generated';
  /** The token file, unless the token came from the command line. */
  path?: string;
}

/** Finds the admin token: the option, else the data folder's file, made when missing. */
export async function resolveAdminToken(options: { dataDir: string; given?: string }): Promise<AdminToken> {
  if (options.given !== undefined) return { token: options.given, source: 'option' };
  const path = join(options.dataDir, ADMIN_TOKEN_FILE);
  const existing = await readTokenFile(path);
  if (existing !== undefined) return { token: existing, source: 'file', path };
  const token = randomBytes(32).toString('hex');
  try {
    const handle = await open(path, 'wx', 0o600);
    try {
      await handle.writeFile(`${token}\n`, 'utf8');
    } finally {
      await handle.close();
    }
    return { token, source: 'generated', path };
  } catch (err) {
    // Another process on the same data folder wrote it first: use theirs.
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    const theirs = await readTokenFile(path);
    if (theirs === undefined) throw new Error(`the admin token file ${path} is empty`);
    return { token: theirs, source: 'file', path };
  }
}

async function readTokenFile(path: string): Promise<string | undefined> {
  let info;
  try {
    info = await stat(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  // Whoever reads the token owns the service: refuse a file others can read, as ssh does.
  const problem = privateFileProblem(info, path, 'admin token');
  if (problem) throw new PrivateFileModeError(problem);
  const token = (await readFile(path, 'utf8')).trim();
  if (token === '') return undefined;
  return token;
}
