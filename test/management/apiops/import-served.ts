/**
 * Test helper: a folder as `gatehouse start --config` serves it now (issue 14 §1): imported into
 * a fresh SQLite store (the tracked import `start` runs) and read back as the gateway's
 * configuration.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServiceConfig } from '../../../src/model/resources.js';
import { importFolderToStore, type GeneratedKey, type ImportResult } from '../../../src/management/apiops-sync/import-folder-to-store.js';
import { readStoreConfig } from '../../../src/management/store-config/read-store-config.js';
import { SecretBox } from '../../../src/store/secret-box.js';
import { SqliteEntityStore } from '../../../src/store/sqlite-entity-store.js';

export interface ServedFolder {
  config: ServiceConfig;
  generatedKeys: GeneratedKey[];
  /** Paths (relative to the folder) accepted and not read. */
  ignored: string[];
  warnings: string[];
  result: ImportResult;
}

/** Imports `dir` into a new store and returns what the gateway would serve; the store is removed after. */
export async function importAndServe(
  dir: string,
  log: (line: string) => void = () => undefined,
  options: { serviceName?: string; progress?: (done: number, total: number) => void } = {},
): Promise<ServedFolder> {
  const data = mkdtempSync(join(tmpdir(), 'gatehouse-served-'));
  const store = await SqliteEntityStore.open({ dataDir: data });
  const box = new SecretBox(randomBytes(32));
  try {
    const result = await importFolderToStore(dir, store, box, 'test', { tracked: true, force: true, log, serviceName: options.serviceName, progress: options.progress });
    const read = await readStoreConfig(store, { serviceName: options.serviceName ?? 'gatehouse', sealer: box });
    return { config: read.config, generatedKeys: result.generatedKeys, ignored: result.ignored, warnings: result.warnings, result };
  } finally {
    await store.close();
    rmSync(data, { recursive: true, force: true });
  }
}
