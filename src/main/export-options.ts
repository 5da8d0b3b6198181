/** `gatehouse export`'s option table: the parser and the help are made from it (command-options.ts). */
import { helpOption, type CommandTable } from './command-options.js';
import { dataRow, storeRow } from './store-option.js';

export const exportCommand: CommandTable = {
  name: 'export',
  summary: 'Writes every stored resource into an empty folder in the APIOps extractor layout.',
  positionals: [{ name: 'OUT_DIR', description: 'the folder to export into (missing or empty)' }],
  built: true,
  options: [
    dataRow,
    storeRow,
    {
      name: 'export-secrets',
      kind: 'switch',
      environment: false,
      description: 'also write secret named values, subscription keys and user passwords, in clear text',
    },
    helpOption,
  ],
  notes: ['--export-secrets has no environment twin: secrets are written only when asked on the command line. See docs/import-export.md.'],
};
