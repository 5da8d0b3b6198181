/**
 * PostgreSQL change notifications (issue 17 §2) with the machine's PostgreSQL: every committed
 * write of any store instance on a schema reaches the watchers of every other instance with its
 * version; rolled-back and read-only transactions send nothing; foreign payloads on the channel
 * are ignored; a listening connection ended by the server is reopened and said so; the last
 * watcher leaving closes it.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { VersionWatcher } from '../../src/core/entity-store.js';
import { changeChannel } from '../../src/store/postgres-change-listener.js';
import { listenerApplicationName, PostgresEntityStore } from '../../src/store/postgres-entity-store.js';
import { dropSchemas, postgresSkipReason, terminateConnections, testPostgresUrl, uniqueSchema, withPostgres } from '../helpers/test-postgres.js';

type Heard = { event: 'changed'; version: number } | { event: 'listening' } | { event: 'lost'; reason: string; retryInMs: number };

/** A watcher that keeps what it hears, and waits for what it has not heard yet. */
function recordingWatcher() {
  const heard: Heard[] = [];
  let wake: (() => void) | null = null;
  const push = (h: Heard) => {
    heard.push(h);
    wake?.();
  };
  const watcher: VersionWatcher = {
    changed: (version) => push({ event: 'changed', version }),
    listening: () => push({ event: 'listening' }),
    lost: (reason, retryInMs) => push({ event: 'lost', reason, retryInMs }),
  };
  /** Waits until an event after the first `from` ones satisfies `ok`; returns its index. */
  const waitFor = async (what: string, from: number, ok: (h: Heard) => boolean, ms = 15_000): Promise<number> => {
    const deadline = Date.now() + ms;
    for (;;) {
      const index = heard.findIndex((h, i) => i >= from && ok(h));
      if (index >= 0) return index;
      if (Date.now() > deadline) assert.fail(`never heard ${what}; heard ${JSON.stringify(heard)}`);
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, 100);
      });
      wake = null;
    }
  };
  return { watcher, heard, waitFor };
}

const api = (id: string) => ({ kind: 'api', id, parent: '', body: { displayName: id } });
const skip = await postgresSkipReason('the PostgreSQL change notification tests');
const schemas: string[] = [];

async function openPair(name: string): Promise<[PostgresEntityStore, PostgresEntityStore]> {
  const schema = uniqueSchema(`gh_notify_${name}`);
  schemas.push(schema);
  const open = () => PostgresEntityStore.open({ connectionString: testPostgresUrl, schema, listenerRetryMs: 50 });
  return [await open(), await open()];
}

describe('PostgreSQL change notifications', { skip }, () => {
  const opened: PostgresEntityStore[] = [];

  /** Two instances on a new schema, the second's watcher already listening. */
  async function listeningPair(name: string) {
    const [writer, follower] = await openPair(name);
    opened.push(writer, follower);
    const { watcher, heard, waitFor } = recordingWatcher();
    const unwatch = follower.watchVersion(watcher);
    await waitFor('listening', 0, (h) => h.event === 'listening');
    return { writer, follower, heard, waitFor, unwatch };
  }
  after(async () => {
    for (const store of opened) await store.close();
    await dropSchemas(schemas);
  });

  it("tells another instance's watcher each committed version, and nothing for rollbacks or reads", async () => {
    const { writer, follower, heard, waitFor, unwatch } = await listeningPair('commit');

    await writer.transaction('t', (tx) => tx.put(api('apis/one')));
    await waitFor('version 1', 0, (h) => h.event === 'changed' && h.version === 1);
    await assert.rejects(
      writer.transaction('t', async (tx) => {
        await tx.put(api('apis/two'));
        throw new Error('changed my mind');
      }),
      /changed my mind/,
    );
    await writer.transaction('t', (tx) => tx.get('apis/one'));
    await writer.transaction('t', async (tx) => {
      await tx.put(api('apis/three'));
      await tx.put(api('apis/four'));
    });
    await waitFor('version 2', 0, (h) => h.event === 'changed' && h.version === 2);
    assert.deepEqual(
      heard.filter((h) => h.event === 'changed'),
      [
        { event: 'changed', version: 1 },
        { event: 'changed', version: 2 },
      ],
      'one notification per committed writing transaction, with its version',
    );
    assert.equal(await follower.version(), 2);
    await unwatch();
  });

  it('ignores what others NOTIFY on the channel that is not a version', async () => {
    const { writer, follower, heard, waitFor, unwatch } = await listeningPair('foreign');
    await withPostgres(async (client) => {
      for (const payload of ['', 'DROP TABLE x', '-1', '1e9', '12345678901234567890', ' 7']) {
        await client.query('SELECT pg_notify($1, $2)', [follower.channel, payload]);
      }
    });
    await writer.transaction('t', (tx) => tx.put(api('apis/real')));
    await waitFor('version 1', 0, (h) => h.event === 'changed' && h.version === 1);
    assert.deepEqual(heard.filter((h) => h.event === 'changed'), [{ event: 'changed', version: 1 }]);
    await unwatch();
  });

  it('reopens a listening connection the server ended, says so, and hears the next change', async () => {
    const { writer, follower, heard, waitFor, unwatch } = await listeningPair('reconnect');
    const before = heard.length;
    assert.equal(await terminateConnections(listenerApplicationName()), 1, 'one listening connection in this process');
    const lost = await waitFor('the lost connection', before, (h) => h.event === 'lost');
    const event = heard[lost] as Extract<Heard, { event: 'lost' }>;
    assert.match(event.reason, /terminat|closed|ended/i);
    assert.ok(event.retryInMs >= 50 && event.retryInMs <= 10_000, String(event.retryInMs));
    await waitFor('listening again', lost, (h) => h.event === 'listening');
    await writer.transaction('t', (tx) => tx.put(api('apis/after')));
    await waitFor('version 1 after the reconnection', lost, (h) => h.event === 'changed' && h.version === 1);
    await unwatch();
  });

  it('shares one listening connection between watchers and closes it with the last', async () => {
    const [store] = await openPair('shared');
    opened.push(store);
    const name = listenerApplicationName();
    const listeners = () =>
      withPostgres(async (client) => Number((await client.query<{ n: string }>('SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = $1', [name])).rows[0]!.n));
    const first = recordingWatcher();
    const second = recordingWatcher();
    const unwatchFirst = store.watchVersion(first.watcher);
    await first.waitFor('listening', 0, (h) => h.event === 'listening');
    const unwatchSecond = store.watchVersion(second.watcher);
    await second.waitFor('listening (at once: the connection already listens)', 0, (h) => h.event === 'listening');
    assert.equal(await listeners(), 1);
    await unwatchFirst();
    assert.equal(await listeners(), 1, 'the second watcher still listens');
    await unwatchSecond();
    const deadline = Date.now() + 15_000;
    while ((await listeners()) !== 0) {
      assert.ok(Date.now() < deadline, 'the listening connection was never closed');
      await new Promise((r) => setTimeout(r, 50));
    }
  });

  it('names one channel per schema, within PostgreSQL’s 63 bytes', () => {
    const longest = 'a'.repeat(63);
    assert.ok(changeChannel(longest).length <= 63);
    assert.match(changeChannel('gatehouse'), /^gatehouse_config_[0-9a-f]{16}$/);
    assert.notEqual(changeChannel('gatehouse'), changeChannel('Gatehouse'));
  });
});
