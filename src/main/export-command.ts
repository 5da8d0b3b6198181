/**
 * `gatehouse export OUT_DIR [--data DIR | --store URL] [--export-secrets]`: writes every stored
 * resource into OUT_DIR in the APIOps extractor layout (docs/import-export.md). Usage errors
 * throw UsageError (exit 2); failures (OUT_DIR not empty, store unreachable) throw (exit 1). A
 * data folder or store that does not exist is refused (exit 1) and nothing is created: neither
 * OUT_DIR nor a store.
 */
import { checkExportFolder, exportStoreToFolder } from '../management/apiops-sync/export-store-to-folder.js';
import { readCommandLine } from './command-options.js';
import { exportCommand } from './export-options.js';
import { openCommandStore } from './open-command-store.js';

/** Runs `gatehouse export` with the arguments after the command name; returns the exit code. */
export async function runExportCommand(args: readonly string[], out: (line: string) => void, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const options = readCommandLine(exportCommand, args, env);
  const [dir] = options.positionals as [string];
  // Before the store is opened: a refusal here needs no store at all.
  await checkExportFolder(dir);
  const { store, sealer, description } = await openCommandStore(options.text('data'), options.text('store'), env, { mustExist: true });
  try {
    const result = await exportStoreToFolder(store, sealer, dir, { exportSecrets: options.switchOn('export-secrets') });
    if (result.omittedSecrets.length > 0) {
      out(`Secrets not written (use --export-secrets to include them): ${result.omittedSecrets.join(', ')}`);
    }
    out(`Exported ${description} to ${dir}: ${result.files.length} ${result.files.length === 1 ? 'file' : 'files'}.`);
    return 0;
  } finally {
    await store.close();
  }
}
