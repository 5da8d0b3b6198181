/**
 * The data folder (docs/storage.md): created with mode 0700, as the secrets inside it are only
 * the owner's. An existing folder that the group or others may enter is used as it is, with a
 * warning that says how to tighten it: its mode may be the operator's choice (a backup group),
 * and every secret file in it is 0600 and refused when looser, so the folder's mode is a second
 * line, not the only one.
 */
import { mkdirSync, statSync } from 'node:fs';
import type { Logger } from '../core/logger.js';

/** Creates `dir` (0700) when missing; returns the warning for an existing folder others may enter, if any. */
export function prepareDataFolder(dir: string, platform: string = process.platform): string | undefined {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (platform === 'win32') return undefined;
  const mode = statSync(dir).mode & 0o777;
  if ((mode & 0o077) === 0) return undefined;
  return `the data folder ${dir} is open to ${(mode & 0o007) !== 0 ? 'others' : 'its group'} (mode ${mode.toString(8).padStart(4, '0')}); run chmod 700 ${dir}`;
}

/** `prepareDataFolder`, logging its warning. */
export function openDataFolder(dir: string, logger: Logger): void {
  const warning = prepareDataFolder(dir);
  if (warning) logger.warn({ dataDir: dir }, warning);
}
