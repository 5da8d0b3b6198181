/**
 * The mode rule for files that hold secrets Gatehouse reads (private keys, the admin token, the
 * encryption key), as ssh and PostgreSQL apply it: a file the group or others may access is
 * refused, and the message names the file and the `chmod 600` that fixes it. As PostgreSQL
 * allows for its server key, a process that does not run as root may read a root-owned file
 * that is group-readable (mode 0640 or 0440): that is how secret volumes (Kubernetes
 * `defaultMode: 0440` with `fsGroup`) hand a key to a non-root process, and root is trusted with
 * it anyway. There is no switch to accept a looser mode. On Windows, modes say nothing and are
 * not checked.
 */
import { statSync, type Stats } from 'node:fs';

/** A secret file whose mode lets others read it; the message says how to fix it. */
export class PrivateFileModeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PrivateFileModeError';
  }
}

/** Who reads the file: the platform and the process's user id (undefined where there is none). */
export interface Reader {
  platform: string;
  uid: number | undefined;
}

const thisProcess: Reader = { platform: process.platform, uid: process.getuid?.() };

/** Why `info` (a stat of `path`, a `what` file) is too open for `reader`, or undefined when it is private enough. */
export function privateFileProblem(info: Pick<Stats, 'mode' | 'uid'>, path: string, what: string, reader: Reader = thisProcess): string | undefined {
  if (reader.platform === 'win32') return undefined;
  const mode = info.mode & 0o777;
  const rootOwnedGroupRead = info.uid === 0 && reader.uid !== 0 && (mode & 0o037) === 0;
  if ((mode & 0o077) === 0 || rootOwnedGroupRead) return undefined;
  const others = (mode & 0o007) !== 0;
  const bits = others ? mode & 0o007 : (mode & 0o070) >> 3;
  const access = (bits & 0o4) !== 0 ? 'readable' : 'writable';
  return `the ${what} file ${path} is ${access} by ${others ? 'others' : 'its group'} (mode ${mode.toString(8).padStart(4, '0')}): run chmod 600 ${path}`;
}

/** Throws PrivateFileModeError when the file at `path` is too open (stat errors propagate). */
export function checkPrivateFile(path: string, what: string): void {
  const problem = privateFileProblem(statSync(path), path, what);
  if (problem) throw new PrivateFileModeError(problem);
}
