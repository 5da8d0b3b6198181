/**
 * Another SQLite entity store instance over the same file, in its own process (one process may
 * hold only one instance per file), for the cross-instance If-Match test: opens the store, says
 * `ready`, waits for a line on stdin, then in one transaction reads `apis/shared`, pauses (so a
 * racing writer would interleave without the file's write lock) and writes it with
 * `If-Match: ETAG`. Prints `written` or the condition that failed (`PreconditionFailed`).
 * Usage: node --import tsx sqlite-if-match-process.ts DATA_DIR ETAG ACTOR
 */
import { once } from 'node:events';
import { ConditionFailedError } from '../../src/core/entity-store.js';
import { SqliteEntityStore } from '../../src/store/sqlite-entity-store.js';

const [dataDir, etag, actor] = process.argv.slice(2);
const store = await SqliteEntityStore.open({ dataDir: dataDir!, busyTimeoutMs: 20_000 });
process.stdout.write('ready\n');
await once(process.stdin, 'data');
let outcome: string;
try {
  await store.transaction(actor!, async (tx) => {
    await tx.get('apis/shared');
    await new Promise((resolve) => setTimeout(resolve, 10));
    await tx.put({ kind: 'api', id: 'apis/shared', parent: '', body: { displayName: `from ${actor}` } }, { ifMatch: etag! });
  });
  outcome = 'written';
} catch (error) {
  if (!(error instanceof ConditionFailedError)) throw error;
  outcome = error.code;
}
await store.close();
process.stdout.write(`${outcome}\n`);
