/**
 * `gatehouse export OUT_DIR [--data DIR | --store URL] [--export-secrets]`: writes every stored
 * resource into OUT_DIR in the APIOps extractor layout (docs/import-export.md). Usage errors
 * throw UsageError (exit 2); failures (OUT_DIR not empty, store unreachable) throw (exit 1). A data folder or store that does not exist is refused (exit 1) and nothing is
 * created: neither OUT_DIR nor a store.
 */
import { parseArgs } from 'node:util';
import { checkExportFolder, exportStoreToFolder } from '../management/apiops-sync/export-store-to-folder.js';
import { openCommandStore } from './open-command-store.js';
import { UsageError } from './start-options.js';

/** Runs `gatehouse export` with the arguments after the command name; returns the exit code. */
export async function runExportCommand(args: readonly string[], out: (line: string) => void, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      options: { data: { type: 'string' }, store: { type: 'string' }, 'export-secrets': { type: 'boolean' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const [dir, ...extra] = parsed.positionals;
  if (dir === undefined) throw new UsageError('the folder to export into (OUT_DIR) is missing');
  if (extra.length > 0) throw new UsageError(`unexpected argument '${extra[0]}'`);
  // Before the store is opened: a refusal here needs no store at all.
  await checkExportFolder(dir);
  const { store, sealer, description } = await openCommandStore(parsed.values.data, parsed.values.store, env, { mustExist: true });
  try {
    const result = await exportStoreToFolder(store, sealer, dir, { exportSecrets: parsed.values['export-secrets'] === true });
    if (result.omittedSecrets.length > 0) {
      out(`Secrets not written (use --export-secrets to include them): ${result.omittedSecrets.join(', ')}`);
    }
    out(`Exported ${description} to ${dir}: ${result.files.length} files.`);
    return 0;
  } finally {
    await store.close();
  }
}
