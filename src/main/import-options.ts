/** `gatehouse import`'s option table: the parser and the help are made from it (command-options.ts). */
import { helpOption, type CommandTable } from './command-options.js';
import { dataRow, storeRow } from './store-option.js';
import { secretSourceRows } from './secret-source-options.js';

export const importCommand: CommandTable = {
  name: 'import',
  summary: 'Writes an APIOps extractor folder into the store in one transaction; a folder with an error changes nothing.',
  positionals: [{ name: 'APIOPS_DIR', description: 'the folder to import' }],
  built: true,
  options: [
    dataRow,
    storeRow,
    {
      name: 'mode',
      kind: 'value',
      valueName: 'merge|replace',
      environment: false,
      defaultText: 'merge',
      description: 'merge: add and update; replace: also remove what the folder does not have',
    },
    { name: 'service-name', kind: 'value', valueName: 'NAME', environment: true, defaultText: 'gatehouse', description: 'the service name in the resource ids the import stores' },
    {
      name: 'force',
      kind: 'switch',
      environment: false,
      description: 'import a folder with no recognised artifact, or a replace that removes more than the folder holds',
    },
    ...secretSourceRows,
    helpOption,
  ],
  notes: ['--mode and --force have no environment twin: a stray variable must not turn an import into a replace or force one. See docs/import-export.md.'],
};
