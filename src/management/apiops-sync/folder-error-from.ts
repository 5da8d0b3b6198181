/** Turns a refusal from the management API's rules into the folder error that names the file. */
import { ConditionFailedError } from '../../core/entity-store.js';
import { ArmError } from '../arm/arm-error.js';
import { ConfigFolderError } from '../apiops/config-folder-error.js';

/** `err` as a ConfigFolderError for `file`: ARM's code, message and invalid fields, as the REST API would answer. */
export function folderErrorFrom(file: string, err: unknown): Error {
  if (err instanceof ConfigFolderError) return err;
  if (err instanceof ArmError) {
    const details = err.details.map((d) => (d.target ? `${d.target}: ${d.message}` : d.message));
    const message = details.length > 0 && !details.every((d) => err.message.includes(d)) ? `${err.message} ${details.join('; ')}` : err.message;
    return new ConfigFolderError(file, `${err.code}: ${message}`);
  }
  if (err instanceof ConditionFailedError) return new ConfigFolderError(file, err.message);
  return err instanceof Error ? err : new Error(String(err));
}
