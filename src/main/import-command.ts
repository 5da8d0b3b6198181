/**
 * `gatehouse import APIOPS_DIR [--data DIR | --store URL] [--mode merge|replace] [--service-name NAME]`:
 * writes an APIOps extractor folder into the store in one transaction (docs/import-export.md).
 * Usage errors throw UsageError (exit 2); a refused folder throws ConfigFolderError naming the
 * file and the reason (exit 1) and leaves the store unchanged.
 */
import { userInfo } from 'node:os';
import { importFolderToStore } from '../management/apiops-sync/import-folder-to-store.js';
import { readCommandLine, UsageError } from './command-options.js';
import { importCommand } from './import-options.js';
import { openCommandStore } from './open-command-store.js';

/** Runs `gatehouse import` with the arguments after the command name; returns the exit code. */
export async function runImportCommand(args: readonly string[], out: (line: string) => void, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const options = readCommandLine(importCommand, args, env);
  const [dir] = options.positionals as [string];
  const mode = options.text('mode') ?? 'merge';
  if (mode !== 'merge' && mode !== 'replace') throw new UsageError(`--mode must be merge or replace, found '${mode}'`);
  const { store, sealer, description } = await openCommandStore(options.text('data'), options.text('store'), env);
  try {
    const result = await importFolderToStore(dir, store, sealer, `cli:${actorName()}`, {
      mode,
      serviceName: options.text('service-name'),
      log: (line) => out(`skipped ${line}`),
    });
    for (const warning of result.warnings) out(`warning: ${warning}`);
    const removed = mode === 'replace' ? `, removed ${result.deleted}` : '';
    out(`Imported ${dir} into ${description} (${mode}): wrote ${result.written} resources${removed}; configuration version ${result.version}.`);
    return 0;
  } finally {
    await store.close();
  }
}

function actorName(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}
