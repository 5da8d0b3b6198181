/**
 * Live config with a store that pushes its versions (live-config.ts, issue 17 §2), on a real
 * SQLite store and a real gateway: the store is wrapped to push what the test says (PostgreSQL's
 * real LISTEN/NOTIFY is tested in test/store/postgres-change-notifications.test.ts and
 * test/e2e/scale-out-postgres.test.ts). With the poll at an hour: a pushed version is swapped in
 * at once, a stale or repeated one changes nothing, `listening` makes a check, a lost
 * connection is logged once per outage and its end once; a check asked for while one runs,
 * which read the version before the change, runs again; closing stops watching.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import type { EntityStore, VersionWatcher } from '../../src/core/entity-store.js';
import { createLogger } from '../../src/core/logger.js';
import { startGatewayRuntime, type GatewayRuntime } from '../../src/main/gateway-runtime.js';
import { followStore, pushedStorePollMs, storePollMs } from '../../src/main/live-config.js';
import { startEchoBackend, type EchoBackend } from '../../src/main/sample/echo-backend.js';
import { readStoreConfig } from '../../src/management/store-config/read-store-config.js';
import { SecretBox } from '../../src/store/secret-box.js';
import { SqliteEntityStore } from '../../src/store/sqlite-entity-store.js';

const hour = 3_600_000;
const policy = (value: string) =>
  `<policies><inbound><base /><set-header name="x-v" exists-action="override"><value>${value}</value></set-header></inbound><backend><base /></backend><outbound><base /></outbound><on-error><base /></on-error></policies>`;

/** A real logger whose records are kept. */
function recordingLogger() {
  const records: Array<{ level: number; msg: string }> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      records.push(JSON.parse(chunk.toString('utf8')) as { level: number; msg: string });
      done();
    },
  });
  return { logger: pino({ level: 'info' }, sink), records };
}

/**
 * The SQLite store with a `watchVersion` the test drives, and a gate that can hold `version()`
 * after it has read (so a check is caught between reading the version and acting on it).
 */
function pushingStore(store: SqliteEntityStore) {
  const watchers = new Set<VersionWatcher>();
  let hold: Promise<void> | null = null;
  let release: () => void = () => undefined;
  let readWhileHeld: () => void = () => undefined;
  const wrapped: EntityStore = Object.create(store) as EntityStore;
  wrapped.version = async () => {
    const version = await store.version();
    if (hold) {
      readWhileHeld();
      await hold;
    }
    return version;
  };
  wrapped.watchVersion = (watcher) => {
    watchers.add(watcher);
    return async () => {
      watchers.delete(watcher);
    };
  };
  return {
    store: wrapped,
    watchers,
    /** Holds the next `version()` after its read; resolves once a check has read. */
    holdNextVersion(): Promise<void> {
      hold = new Promise((resolve) => (release = resolve));
      return new Promise((resolve) => (readWhileHeld = resolve));
    },
    releaseVersion() {
      hold = null;
      release();
    },
  };
}

describe('live config: a store that pushes its versions', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-live-push-'));
  const box = new SecretBox(randomBytes(32));
  let store: SqliteEntityStore;
  let backend: EchoBackend;
  let runtime: GatewayRuntime;
  let url: string;

  const putPolicy = (value: string) =>
    store.transaction('test', (tx) => tx.put({ kind: 'policy', id: 'apis/a/policies/policy', parent: 'apis/a', body: { value: policy(value), format: 'rawxml' } }));
  const seen = async () => {
    const body = (await (await fetch(`${url}/a/x`)).json()) as { headers: Record<string, string> };
    return body.headers['x-v'];
  };
  /** Waits (bounded) until the gateway answers `value`. */
  const until = async (value: string) => {
    const deadline = Date.now() + 10_000;
    while ((await seen()) !== value) {
      assert.ok(Date.now() < deadline, `the gateway never served ${value}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };

  before(async () => {
    store = await SqliteEntityStore.open({ dataDir: dir });
    backend = await startEchoBackend();
    await store.transaction('test', async (tx) => {
      await tx.put({ kind: 'api', id: 'apis/a', parent: '', body: { displayName: 'A', path: 'a', serviceUrl: backend.url, protocols: ['http'], subscriptionRequired: false, apiRevision: '1', isCurrent: true } });
      await tx.put({ kind: 'operation', id: 'apis/a/operations/any', parent: 'apis/a', body: { displayName: 'Any', method: 'GET', urlTemplate: '/*' } });
    });
    await putPolicy('0');
    const read = await readStoreConfig(store, { serviceName: 'gh', sealer: box });
    runtime = await startGatewayRuntime(read.config, { host: '127.0.0.1', httpPort: 0, httpsPort: null, certificates: [] }, createLogger('silent'));
    url = runtime.listeners[0]!.url;
  });
  after(async () => {
    await runtime?.close();
    await backend?.close();
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('polls slowly only when the store pushes: 5 s then, 200 ms otherwise', () => {
    assert.equal(pushedStorePollMs, 5_000);
    assert.equal(storePollMs, 200);
  });

  it('swaps in a pushed version at once, checks when listening starts, and stops watching when closed', async () => {
    const pushing = pushingStore(store);
    const { logger } = recordingLogger();
    const live = followStore({ store: pushing.store, sealer: box, serviceName: 'gh', runtime, logger, servedVersion: await store.version(), intervalMs: hour });
    try {
      assert.equal(pushing.watchers.size, 1, 'live config watches a store that can push');
      const [watcher] = pushing.watchers;
      await putPolicy('1');
      watcher!.changed(await store.version());
      await until('1');
      // Committed while nothing was heard (as during a reconnection): `listening` finds it.
      await putPolicy('2');
      watcher!.listening();
      await until('2');
      const snapshot = runtime.snapshots.current;
      watcher!.changed(live.servedVersion);
      watcher!.changed(live.servedVersion - 1);
      assert.equal(await live.check(), false);
      assert.equal(runtime.snapshots.current, snapshot, 'a version already served builds nothing');
    } finally {
      await live.close();
    }
    assert.equal(pushing.watchers.size, 0, 'closed: no longer watching');
  });

  it('logs a lost connection once per outage, and its end', async () => {
    const pushing = pushingStore(store);
    const { logger, records } = recordingLogger();
    const live = followStore({ store: pushing.store, sealer: box, serviceName: 'gh', runtime, logger, servedVersion: await store.version(), intervalMs: hour });
    try {
      const [watcher] = pushing.watchers;
      watcher!.lost('connection refused', 250);
      watcher!.lost('connection refused', 500);
      watcher!.lost('connection refused', 1000);
      await putPolicy('3');
      watcher!.listening();
      await until('3');
      const lost = records.filter((r) => r.msg.includes('notifications lost'));
      assert.equal(lost.length, 1, JSON.stringify(records));
      assert.equal(lost[0]!.level, 40);
      assert.equal(records.filter((r) => r.msg.includes('notifications are back')).length, 1);
    } finally {
      await live.close();
    }
  });

  it('runs a check again when one was asked for while a check that read the old version ran', async () => {
    const pushing = pushingStore(store);
    const { logger } = recordingLogger();
    const live = followStore({ store: pushing.store, sealer: box, serviceName: 'gh', runtime, logger, servedVersion: await store.version(), intervalMs: hour });
    try {
      const read = pushing.holdNextVersion();
      const first = live.check();
      await read;
      // The running check has read the version; this change comes after that read.
      await putPolicy('4');
      const second = live.check();
      pushing.releaseVersion();
      assert.equal(await second, true, 'the second check saw the change');
      assert.equal(await first, true);
      assert.equal(await seen(), '4');
      assert.equal(live.servedVersion, await store.version());
    } finally {
      await live.close();
    }
  });
});
