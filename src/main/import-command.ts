/**
 * `gatehouse import APIOPS_DIR [--data DIR | --store URL] [--mode merge|replace] [--service-name NAME]`:
 * writes an APIOps extractor folder into the store in one transaction (docs/import-export.md).
 * Usage errors throw UsageError (exit 2); a refused folder throws ConfigFolderError naming the
 * file and the reason (exit 1) and leaves the store unchanged.
 */
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { importFolderToStore } from '../management/apiops-sync/import-folder-to-store.js';
import { openCommandStore } from './open-command-store.js';
import { UsageError } from './start-options.js';

/** Runs `gatehouse import` with the arguments after the command name; returns the exit code. */
export async function runImportCommand(args: readonly string[], out: (line: string) => void, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      options: { data: { type: 'string' }, store: { type: 'string' }, mode: { type: 'string' }, 'service-name': { type: 'string' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const [dir, ...extra] = parsed.positionals;
  if (dir === undefined) throw new UsageError('the folder to import (APIOPS_DIR) is missing');
  if (extra.length > 0) throw new UsageError(`unexpected argument '${extra[0]}'`);
  const mode = parsed.values.mode ?? 'merge';
  if (mode !== 'merge' && mode !== 'replace') throw new UsageError(`--mode must be merge or replace, found '${mode}'`);
  const { store, sealer, description } = await openCommandStore(parsed.values.data, parsed.values.store, env);
  try {
    const result = await importFolderToStore(dir, store, sealer, `cli:${actorName()}`, {
      mode,
      serviceName: parsed.values['service-name'] ?? (env.GATEHOUSE_SERVICE_NAME || undefined),
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
