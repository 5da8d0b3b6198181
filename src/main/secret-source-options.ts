/**
 * `--secret-env NAME` and `--secret-files DIR` (`start` and `import`): the environment variables
 * and folders that `env:` and `file:` named value references may read. Both are closed by default
 * (secret-allow-list.ts); these options are the only way to open them.
 */
import { isAbsolute, resolve } from 'node:path';
import { realpathSync, statSync } from 'node:fs';
import { allowedVariablePattern, type SecretAllowList } from '../secrets/secret-allow-list.js';
import { UsageError, type CommandLine, type OptionRow } from './command-options.js';

/** The rows `start` and `import` share. */
export const secretSourceRows: OptionRow[] = [
  {
    name: 'secret-env',
    kind: 'list',
    valueName: 'NAME,…',
    environment: true,
    defaultText: 'none (env: references are refused)',
    description: 'environment variables env: named values may read: names, or prefixes ending in * (APP_*); GATEHOUSE_* never',
  },
  {
    name: 'secret-files',
    kind: 'list',
    valueName: 'DIR',
    environment: true,
    defaultText: 'none (file: references are refused)',
    description: 'a folder whose files file: named values may read (symlinks may not lead out; the data folder never)',
  },
];

/** Reads and checks the two options; a mistake is a UsageError naming the option. */
export function parseSecretSourceOptions(line: CommandLine, cwd: string = process.cwd()): SecretAllowList {
  const environment = line
    .list('secret-env')
    .flatMap((item) => item.split(','))
    .map((item) => item.trim())
    .filter((item) => item !== '');
  for (const entry of environment) {
    if (!allowedVariablePattern.test(entry)) {
      throw new UsageError(`Invalid ${line.source('secret-env')} '${entry}': expected a variable name (letters, digits, '_') or a prefix ending in * (APP_*); a bare * is not accepted.`);
    }
    if (entry.toUpperCase().startsWith('GATEHOUSE_')) {
      throw new UsageError(`Invalid ${line.source('secret-env')} '${entry}': GATEHOUSE_* variables are Gatehouse's own settings and are never readable as named values.`);
    }
  }
  const fileFolders = line
    .list('secret-files')
    .map((item) => item.trim())
    .filter((item) => item !== '')
    .map((folder) => {
      const absolute = isAbsolute(folder) ? resolve(folder) : resolve(cwd, folder);
      let real: string | undefined;
      try {
        real = statSync(absolute).isDirectory() ? realpathSync(absolute) : undefined;
      } catch {
        real = undefined;
      }
      // A typo would silently allow nothing; `/` would allow every file the process can read.
      if (real === undefined) throw new UsageError(`Invalid ${line.source('secret-files')} '${folder}': not an existing folder.`);
      if (real === '/') throw new UsageError(`Invalid ${line.source('secret-files')} '${folder}': the root folder would allow every file; name the folder that holds the secrets.`);
      return absolute;
    });
  return { environment, fileFolders };
}
