/**
 * `gatehouse import APIOPS_DIR [--data DIR | --store URL] [--mode merge|replace] [--service-name NAME] [--force]
 * [--secret-env NAME,…] [--secret-files DIR]`:
 * writes an APIOps extractor folder into the store in one transaction (docs/import-export.md).
 * Usage errors throw UsageError (exit 2); a refused folder throws ConfigFolderError naming the
 * file and the reason (exit 1) and leaves the store unchanged. A folder with nothing
 * recognised, and a replace that would remove more than the folder holds, are refused unless
 * `--force`. A missing data folder is created: that is how a new store starts.
 */
import { userInfo } from 'node:os';
import { folderKinds, totalCounts, type ChangeCounts, type CountsByKind } from '../management/apiops-sync/import-counts.js';
import { importFolderToStore } from '../management/apiops-sync/import-folder-to-store.js';
import { createSecretResolver } from '../secrets/secret-resolver.js';
import { readCommandLine, UsageError } from './command-options.js';
import { importCommand } from './import-options.js';
import { parseSecretSourceOptions } from './secret-source-options.js';
import { openCommandStore } from './open-command-store.js';
import { progressLine } from './progress-line.js';

/** Runs `gatehouse import` with the arguments after the command name; returns the exit code. */
export async function runImportCommand(
  args: readonly string[],
  out: (line: string) => void,
  env: NodeJS.ProcessEnv = process.env,
  progressOut: { write: (text: string) => void; isTTY?: boolean } = process.stderr,
): Promise<number> {
  const options = readCommandLine(importCommand, args, env);
  const [dir] = options.positionals as [string];
  const mode = options.text('mode') ?? 'merge';
  if (mode !== 'merge' && mode !== 'replace') throw new UsageError(`--mode must be merge or replace, found '${mode}'`);
  // Checked before the store is opened (or created): a mistake changes nothing.
  const allowed = parseSecretSourceOptions(options);
  const { store, sealer, description, created, dataDir } = await openCommandStore(options.text('data'), options.text('store'), env);
  if (created) out(`Created a new store: ${description}.`);
  const progress = progressLine('importing', { unit: 'resources', write: (text) => progressOut.write(text), inPlace: progressOut.isTTY === true });
  try {
    const result = await importFolderToStore(dir, store, sealer, `cli:${actorName()}`, {
      mode,
      serviceName: options.text('service-name'),
      force: options.switchOn('force'),
      log: (line) => out(`skipped ${line}`),
      notice: (summary) => out(`--force: ${summary}`),
      progress: (done, total) => progress.update(done, total),
      // Key Vault named values are read at import, as the management API reads them at PUT.
      secrets: createSecretResolver({ env, deniedFolders: [dataDir], allowed }),
    });
    progress.finish();
    for (const warning of result.warnings) out(`warning: ${warning}`);
    out(`Imported ${dir} into ${description} (${mode}): ${countsText(totalCounts(result.counts))}; configuration version ${result.version}.`);
    for (const line of countLines(result.counts)) out(line);
    return 0;
  } finally {
    progress.finish();
    await store.close();
  }
}

function countsText(c: ChangeCounts): string {
  return `${c.created} created, ${c.updated} updated, ${c.unchanged} unchanged, ${c.removed} removed`;
}

/** One line per kind, in the folder's order (`  api: 1 created, 0 updated, 2 unchanged, 0 removed`). */
function countLines(counts: CountsByKind): string[] {
  const kinds = [...folderKinds, ...Object.keys(counts).filter((k) => !folderKinds.includes(k))];
  return kinds.filter((k) => counts[k]).map((k) => `  ${k}: ${countsText(counts[k]!)}`);
}

function actorName(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}
