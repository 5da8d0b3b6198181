/**
 * Run as a child process by scoped-async-storage.test.ts (node:test itself turns Node's promise
 * hooks on in the test process): reports, as one JSON line, whether the hooks are on before,
 * during and after a ScopedAsyncStorage run, a SQLite store transaction and a `wait` branch.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { executionAsyncId } from 'node:async_hooks';
import { ScopedAsyncStorage } from '../../src/core/scoped-async-storage.js';
import { SqliteEntityStore } from '../../src/store/sqlite-entity-store.js';
import { runBranch } from '../../src/pipeline/concurrent-branches.js';

/**
 * With the hooks on, each promise continuation runs under an async id of its own; without them,
 * under the id of what started the chain (0 at the top level of a module).
 */
async function promiseHooksOn(): Promise<boolean> {
  await null;
  const first = executionAsyncId();
  await null;
  return first !== 0 || executionAsyncId() !== 0;
}

const report: Record<string, boolean> = { before: await promiseHooksOn() };
const storage = new ScopedAsyncStorage<boolean>();
report.duringRun = await storage.run(true, () => promiseHooksOn());
report.afterRun = await promiseHooksOn();
const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-promise-hooks-'));
try {
  const store = await SqliteEntityStore.open({ dataDir });
  report.duringTransaction = await store.transaction('test', () => promiseHooksOn());
  await store.close();
  report.afterTransaction = await promiseHooksOn();
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
let inBranch = false;
await runBranch(async () => {
  inBranch = await promiseHooksOn();
}).done;
report.duringBranch = inBranch;
report.afterBranch = await promiseHooksOn();
console.log(JSON.stringify(report));
