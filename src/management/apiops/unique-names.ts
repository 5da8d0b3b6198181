/** Resource names must be unique per kind; a folder whose file renames it could collide. */
import { ConfigFolderError } from './config-folder-error.js';

/** The names already used by one kind of resource. */
export class UniqueNames {
  private readonly owners = new Map<string, string>();

  constructor(private readonly kind: string) {}

  /** Records `name` for `file`; throws when another file already has it (case-insensitive, like Azure). */
  claim(name: string, file: string): void {
    const key = name.toLowerCase();
    const prior = this.owners.get(key);
    if (prior !== undefined) throw new ConfigFolderError(file, `${this.kind} '${name}' is also defined by ${prior}`);
    this.owners.set(key, file);
  }
}
