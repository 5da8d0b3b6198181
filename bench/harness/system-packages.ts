/** Finds a system command and, when allowed and missing, installs its Debian package with apt-get. */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { runToCompletion } from './process-launcher.js';

const extraDirs = ['/usr/sbin', '/sbin', '/usr/local/sbin'];

/** The absolute path of `command` on PATH (plus the sbin folders), or null. */
export function findCommand(command: string): string | null {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), ...extraDirs];
  for (const dir of dirs) {
    if (!dir) continue;
    const candidate = join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

let aptUpdated = false;

/** Returns the command's path, installing `aptPackage` first when it is missing and `install` is set. */
export async function ensureCommand(command: string, aptPackage: string, install: boolean, log: (line: string) => void): Promise<string> {
  const found = findCommand(command);
  if (found) return found;
  if (!install) throw new Error(`${command} is not installed (Debian package '${aptPackage}'); run without --no-install to let the harness install it`);
  const env = { DEBIAN_FRONTEND: 'noninteractive' };
  if (!aptUpdated) {
    log(`installing ${aptPackage}: apt-get update`);
    const update = await runToCompletion('apt-get', ['update'], { env });
    if (update.code !== 0) throw new Error(`apt-get update failed:\n${update.stderr}`);
    aptUpdated = true;
  }
  log(`installing ${aptPackage}: apt-get install -y ${aptPackage}`);
  const result = await runToCompletion('apt-get', ['install', '-y', '--no-install-recommends', aptPackage], { env });
  if (result.code !== 0) throw new Error(`apt-get install ${aptPackage} failed:\n${result.stderr}`);
  const path = findCommand(command);
  if (!path) throw new Error(`${aptPackage} installed but ${command} is still not on PATH`);
  return path;
}
