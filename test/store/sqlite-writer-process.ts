/**
 * A second process writing to a SQLite entity store, for the cross-process test: increments
 * `counters/c` by read-modify-write `count` times, pausing between the read and the write so
 * that the other process's transactions would interleave if the file's write lock did not hold.
 * Usage: node --import tsx sqlite-writer-process.ts DATA_DIR COUNT ACTOR
 */
import { SqliteEntityStore } from '../../src/store/sqlite-entity-store.js';

const [dataDir, countText, actor] = process.argv.slice(2);
const store = await SqliteEntityStore.open({ dataDir: dataDir!, busyTimeoutMs: 20_000 });
for (let i = 0; i < Number(countText); i++) {
  await store.transaction(actor!, async (tx) => {
    const current = await tx.get('counters/c');
    await new Promise((resolve) => setTimeout(resolve, 2));
    await tx.put({ kind: 'counter', id: 'counters/c', parent: '', body: { n: ((current?.body.n as number | undefined) ?? 0) + 1 } });
  });
}
await store.close();
