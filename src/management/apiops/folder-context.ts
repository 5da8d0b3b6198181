/**
 * What every reader of the configuration folder shares: the folder root, the log callback and
 * the list of ignored paths. Paths in messages are relative to the root, '/'-separated.
 */
import { relative, sep } from 'node:path';

export type LoadLog = (message: string) => void;

/** The loading session of one folder. */
export class FolderContext {
  /** Relative paths of the files and folders that were accepted but not read. */
  readonly ignored: string[] = [];

  constructor(
    readonly root: string,
    private readonly logLine: LoadLog,
  ) {}

  /** The '/'-separated path of an absolute path, relative to the root (for messages). */
  rel(path: string): string {
    const r = relative(this.root, path);
    return r === '' ? '.' : r.split(sep).join('/');
  }

  /** Writes one line to the caller's log. */
  log(message: string): void {
    this.logLine(message);
  }

  /** Records an accepted-but-unread path and logs one line about it. */
  ignore(path: string, why: string): void {
    const rel = this.rel(path);
    this.ignored.push(rel);
    this.logLine(`${rel}: ${why}`);
  }
}
