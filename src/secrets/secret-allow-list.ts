/**
 * Which `env:` and `file:` secret references may be read (issue 14 hardening). Both are closed
 * unless the operator opens them at start: whoever holds the admin token could otherwise read any
 * environment variable of the process, or any file it can read, through `listValue` or a policy.
 * Variables are allowed by name or by a prefix (`APP_*`); files by the folders that hold them,
 * checked after symlinks are resolved so a link cannot lead out of an allowed folder.
 */
import { realpath } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import { notAllowedCode, SecretResolutionError } from '../core/secret-provider.js';

/** What the operator opened: `--secret-env` entries and `--secret-files` folders. */
export interface SecretAllowList {
  /** Variable names (`API_KEY`) and prefixes (`APP_*`). */
  environment: readonly string[];
  /** Absolute folders whose files (at any depth) may be read. */
  fileFolders: readonly string[];
}

/** Nothing open: the default. */
export const closedAllowList: SecretAllowList = { environment: [], fileFolders: [] };

/** A `--secret-env` entry: a variable name, or a non-empty prefix followed by `*`. */
export const allowedVariablePattern = /^[A-Za-z_][A-Za-z0-9_]{0,255}\*?$/;

/** The start option that opens each kind of reference, for the refusal's message. */
const envOption = '--secret-env (GATEHOUSE_SECRET_ENV)';
const filesOption = '--secret-files (GATEHOUSE_SECRET_FILES)';

/** Throws SecretResolutionError `NotAllowed` unless `variable` is allowed. */
export function checkVariableAllowed(variable: string, list: SecretAllowList): void {
  const allowed = list.environment.some((entry) => (entry.endsWith('*') ? variable.startsWith(entry.slice(0, -1)) : variable === entry));
  if (!allowed) {
    throw new SecretResolutionError(
      notAllowedCode,
      `The reference 'env:${variable}' is not allowed: Gatehouse reads only the environment variables its operator names. Start it with ${envOption} ${variable} to allow it.`,
    );
  }
}

/**
 * The real path of `path` when it lies in an allowed folder, also after symlinks are resolved;
 * throws SecretResolutionError (`NotAllowed`, or `SecretNotFound` for a missing file in an
 * allowed folder). A path outside every folder is refused before the file system is asked, so
 * the answer never tells whether a file exists there.
 */
export async function allowedFilePath(path: string, list: SecretAllowList): Promise<string> {
  const refusal = (): SecretResolutionError =>
    new SecretResolutionError(
      notAllowedCode,
      `The reference 'file:${path}' is not allowed: Gatehouse reads only files inside the folders its operator names. Start it with ${filesOption} naming a folder that holds it.`,
    );
  const folders = await Promise.all(list.fileFolders.map(async (folder) => [resolve(folder), await realpath(folder).catch(() => resolve(folder))] as const));
  if (!folders.some((names) => names.some((folder) => isInside(resolve(path), folder)))) throw refusal();
  let real: string;
  try {
    real = await realpath(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new SecretResolutionError('SecretNotFound', `The file '${path}' does not exist.`);
    throw new SecretResolutionError('SecretUnreadable', `The file '${path}' cannot be read (${code ?? 'error'}).`);
  }
  // A symlink inside an allowed folder may point anywhere: the real path must be inside one too.
  if (!folders.some(([, folder]) => isInside(real, folder))) throw refusal();
  return real;
}

/** Whether `path` is `folder` itself or below it (both absolute and normalised). */
export function isInside(path: string, folder: string): boolean {
  return path === folder || path.startsWith(folder.endsWith(sep) ? folder : folder + sep);
}
