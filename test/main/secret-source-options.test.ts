/**
 * `--secret-env` and `--secret-files` as `start` and `import` read them: closed by default,
 * repeatable and comma lists, their GATEHOUSE_* environment twins (the command line wins),
 * relative folders resolved, and the values that would open too much refused by name.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCommandLine } from '../../src/main/command-options.js';
import { importCommand } from '../../src/main/import-options.js';
import { parseSecretSourceOptions } from '../../src/main/secret-source-options.js';
import { parseStartOptions, UsageError } from '../../src/main/start-options.js';

const root = mkdtempSync(join(tmpdir(), 'gatehouse-secret-opts-'));
const secrets = join(root, 'secrets');
const more = join(root, 'more');
mkdirSync(secrets);
mkdirSync(more);
symlinkSync('/', join(root, 'to-root'));

describe('secret source options', () => {
  it('allow nothing by default', () => {
    assert.deepEqual(parseStartOptions([], {}).management.secretSources, { environment: [], fileFolders: [] });
  });

  it('read repeated flags and comma lists; the environment twin only when the command line has none', () => {
    const given = parseStartOptions(['--secret-env', 'APP_*,DB_PASSWORD', '--secret-env', 'OTHER', '--secret-files', secrets, '--secret-files', more], { GATEHOUSE_SECRET_ENV: 'IGNORED' });
    assert.deepEqual(given.management.secretSources, { environment: ['APP_*', 'DB_PASSWORD', 'OTHER'], fileFolders: [secrets, more] });
    const fromEnv = parseStartOptions([], { GATEHOUSE_SECRET_ENV: 'A, B_*', GATEHOUSE_SECRET_FILES: `${secrets},${more}` });
    assert.deepEqual(fromEnv.management.secretSources, { environment: ['A', 'B_*'], fileFolders: [secrets, more] });
  });

  it('resolve a relative folder against the working directory', () => {
    const line = readCommandLine(importCommand, ['dir', '--secret-files', 'secrets'], {});
    assert.deepEqual(parseSecretSourceOptions(line, root).fileFolders, [secrets]);
  });

  it('refuse what would open too much, or nothing, naming the option and the value', () => {
    const cases: Array<[string[], NodeJS.ProcessEnv, RegExp]> = [
      [['--secret-env', '*'], {}, /Invalid --secret-env '\*'.*bare \*/],
      [['--secret-env', 'A*B'], {}, /Invalid --secret-env 'A\*B'/],
      [['--secret-env', 'gatehouse_admin_token'], {}, /GATEHOUSE_\* variables/],
      [[], { GATEHOUSE_SECRET_ENV: 'GATEHOUSE_*' }, /Invalid GATEHOUSE_SECRET_ENV 'GATEHOUSE_\*'/],
      [['--secret-files', '/'], {}, /root folder/],
      [['--secret-files', join(root, 'to-root')], {}, /root folder/],
      [['--secret-files', join(root, 'absent')], {}, /not an existing folder/],
    ];
    for (const [args, env, message] of cases) assert.throws(() => parseStartOptions(args, env), (err: unknown) => err instanceof UsageError && message.test(err.message), args.join(' '));
  });
});
