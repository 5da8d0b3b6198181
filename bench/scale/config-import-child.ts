/**
 * Run as its own process (`node --import tsx`): what `gatehouse start --config DIR` does before
 * it serves, from the compiled dist/, on a fresh SQLite store: the tracked import of the folder,
 * then reading the store's configuration and building the snapshot (all a start on an existing
 * store does). Prints one line `CONFIG_IMPORT_JSON {...}` with the CPU time of each part
 * (process.cpuUsage: the main thread and libuv's file-system threads). Arguments: the folder,
 * the repository root, a scratch folder for the store.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

type ImportModule = typeof import('../../src/management/apiops-sync/import-folder-to-store.js');
type StoreModule = typeof import('../../src/store/sqlite-entity-store.js');
type SealerModule = typeof import('../../src/store/secret-box.js');
type ReadModule = typeof import('../../src/management/store-config/read-store-config.js');
type BuildModule = typeof import('../../src/gateway/snapshot/build-snapshot.js');
type PolicyModule = typeof import('../../src/policies/index.js');

const [folder, root, scratch] = process.argv.slice(2);
if (!folder || !root || !scratch) throw new Error('usage: config-import-child.ts FOLDER ROOT SCRATCH');
const load = async <T>(path: string): Promise<T> => (await import(pathToFileURL(join(root, 'dist', path)).href)) as T;
const { importFolderToStore } = await load<ImportModule>('management/apiops-sync/import-folder-to-store.js');
const { SqliteEntityStore } = await load<StoreModule>('store/sqlite-entity-store.js');
const { SecretBox } = await load<SealerModule>('store/secret-box.js');
const { readStoreConfig } = await load<ReadModule>('management/store-config/read-store-config.js');
const { buildSnapshot } = await load<BuildModule>('gateway/snapshot/build-snapshot.js');
const { policyRegistry } = await load<PolicyModule>('policies/index.js');

const cpuMs = (since: NodeJS.CpuUsage): number => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
};

const store = await SqliteEntityStore.open({ dataDir: scratch });
const box = new SecretBox(randomBytes(32));
let since = process.cpuUsage();
// As start --config imports (src/main/folder-import.ts).
const result = await importFolderToStore(folder, store, box, 'start --config', { mode: 'merge', tracked: true, force: true });
const importCpuMs = cpuMs(since);
since = process.cpuUsage();
const { config } = await readStoreConfig(store, { serviceName: 'gatehouse', sealer: box });
const snapshot = buildSnapshot(config, { policies: policyRegistry, version: result.version });
const serveCpuMs = cpuMs(since);
await store.close();
console.log(`CONFIG_IMPORT_JSON ${JSON.stringify({ apis: config.apis.length, importCpuMs, serveCpuMs, version: snapshot.version })}`);
