/**
 * The gateway following the store (live-config.ts) with a real SQLite store and a real gateway
 * on a loopback port: a committed change is swapped in; a stored configuration that does not
 * compile (written around the management API's save-time checks) never reaches the gateway,
 * which keeps the last good snapshot until a later version compiles; one stored resource that
 * cannot be read is left out and reported, and every later change still goes in.
 *
 * A store that pushes its versions (issue 17 §2) is the same SQLite store wrapped to push what
 * the test says (PostgreSQL's real LISTEN/NOTIFY: test/store/postgres-change-notifications.test.ts
 * and test/e2e/scale-out-postgres.test.ts). With the poll at an hour: a pushed version is
 * swapped in at once, one already served builds nothing, `listening` makes a check, a lost
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
import { followStore, type LiveConfig } from '../../src/main/live-config.js';
import { startEchoBackend, type EchoBackend } from '../../src/main/sample/echo-backend.js';
import { readStoreConfig } from '../../src/management/store-config/read-store-config.js';
import { SecretBox } from '../../src/store/secret-box.js';
import { SqliteEntityStore } from '../../src/store/sqlite-entity-store.js';

const logger = createLogger('silent');

/** A real logger whose records (warnings, unless `level` says otherwise) are kept, to see what live config reports. */
function recordingLogger(level: 'warn' | 'info' = 'warn'): { logger: typeof logger; records: Array<Record<string, unknown>> } {
  const records: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      records.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level }, sink), records };
}

/**
 * The store with a `watchVersion` the test drives, and a gate that can hold `version()` after
 * it has read (so a check is caught between reading the version and acting on it).
 */
function pushingStore(store: EntityStore) {
  const watchers = new Set<VersionWatcher>();
  let hold: Promise<void> | null = null;
  let release: () => void = () => undefined;
  let readWhileHeld: () => void = () => undefined;
  const wrapped = Object.create(store) as EntityStore;
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

const hour = 3_600_000;
const policy = (inner: string) => `<policies><inbound><base />${inner}</inbound><backend><base /></backend><outbound><base /></outbound><on-error><base /></on-error></policies>`;

describe('live config: the gateway follows the store', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-live-unit-'));
  const box = new SecretBox(randomBytes(32));
  let store: SqliteEntityStore;
  let backend: EchoBackend;
  let runtime: GatewayRuntime;
  let live: LiveConfig;
  let url: string;

  const putPolicy = (xml: string) =>
    store.transaction('test', (tx) => tx.put({ kind: 'policy', id: 'apis/a/policies/policy', parent: 'apis/a', body: { value: xml, format: 'rawxml' } }));

  before(async () => {
    store = await SqliteEntityStore.open({ dataDir: dir });
    backend = await startEchoBackend();
    await store.transaction('test', async (tx) => {
      await tx.put({ kind: 'api', id: 'apis/a', parent: '', body: { displayName: 'A', path: 'a', serviceUrl: backend.url, protocols: ['http'], subscriptionRequired: false, apiRevision: '1', isCurrent: true } });
      await tx.put({ kind: 'operation', id: 'apis/a/operations/any', parent: 'apis/a', body: { displayName: 'Any', method: 'GET', urlTemplate: '/*' } });
    });
    await putPolicy(policy('<set-header name="x-v" exists-action="override"><value>1</value></set-header>'));
    const read = await readStoreConfig(store, { serviceName: 'gh', sealer: box });
    runtime = await startGatewayRuntime(read.config, { host: '127.0.0.1', httpPort: 0, httpsPort: null, certificates: [] }, logger);
    url = runtime.listeners[0]!.url;
    // A long interval: the test drives the checks itself, so nothing depends on timing.
    live = followStore({ store, sealer: box, serviceName: 'gh', runtime, logger, servedVersion: read.version, intervalMs: 60_000 });
  });
  after(async () => {
    await live?.close();
    await runtime?.close();
    await backend?.close();
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const seen = async () => {
    const res = await fetch(`${url}/a/x`);
    const body = (await res.json()) as { headers: Record<string, string> };
    return body.headers['x-v'];
  };
  const setV = (value: string) => putPolicy(policy(`<set-header name="x-v" exists-action="override"><value>${value}</value></set-header>`));
  /** Waits (bounded) until the gateway answers `value`: a pushed change is checked in the background. */
  const until = async (value: string) => {
    const deadline = Date.now() + 10_000;
    while ((await seen()) !== value) {
      assert.ok(Date.now() < deadline, `the gateway never served ${value}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };

  it('swaps in a committed change and does nothing when the store did not change', async () => {
    assert.equal(await seen(), '1');
    assert.equal(await live.check(), false, 'no change, no rebuild');
    await putPolicy(policy('<set-header name="x-v" exists-action="override"><value>2</value></set-header>'));
    assert.equal(await live.check(), true);
    assert.equal(live.servedVersion, await store.version());
    assert.equal(await seen(), '2');
  });

  it('keeps the last good snapshot when the stored configuration does not compile', async () => {
    const before = runtime.snapshots.current;
    await putPolicy(policy('<no-such-policy />'));
    assert.equal(await live.check(), false);
    assert.equal(runtime.snapshots.current, before, 'the failed version never replaced the snapshot');
    assert.equal(await seen(), '2');
    assert.equal(await live.check(), false, 'a failed version is not rebuilt again until the store changes');
    await putPolicy(policy('<set-header name="x-v" exists-action="override"><value>3</value></set-header>'));
    assert.equal(await live.check(), true);
    assert.equal(await seen(), '3');
  });

  it('leaves out one unreadable stored resource and keeps taking later changes', async () => {
    const { logger: recording, records: warnings } = recordingLogger();
    const follower = followStore({ store, sealer: box, serviceName: 'gh', runtime, logger: recording, servedVersion: live.servedVersion, intervalMs: 60_000 });
    try {
      // What the probe left behind: a subscription whose key is empty (the gateway's reader refuses it).
      await store.transaction('test', (tx) =>
        tx.put({ kind: 'subscription', id: 'subscriptions/bad', parent: '', body: { displayName: 'Bad', scope: '/apis', state: 'active', primaryKey: box.seal(''), secondaryKey: box.seal('k2') } }),
      );
      await putPolicy(policy('<set-header name="x-v" exists-action="override"><value>4</value></set-header>'));
      assert.equal(await follower.check(), true, 'the change went in despite the bad subscription');
      assert.equal(await seen(), '4');
      assert.ok(warnings.some((w) => w.resource === 'subscriptions/bad' && String(w.reason).includes('primaryKey')), JSON.stringify(warnings));
      await putPolicy(policy('<set-header name="x-v" exists-action="override"><value>5</value></set-header>'));
      assert.equal(await follower.check(), true);
      assert.equal(await seen(), '5');
    } finally {
      await follower.close();
      await store.transaction('test', async (tx) => {
        const bad = await tx.get('subscriptions/bad');
        if (bad) await tx.delete(bad.id, { ifMatch: bad.etag });
      });
    }
  });

  it('swaps in a pushed version at once, checks when listening starts, and stops watching when closed', async () => {
    const pushing = pushingStore(store);
    const follower = followStore({ store: pushing.store, sealer: box, serviceName: 'gh', runtime, logger, servedVersion: await store.version(), intervalMs: hour });
    try {
      assert.equal(pushing.watchers.size, 1, 'live config watches a store that can push');
      const [watcher] = pushing.watchers;
      await setV('pushed-1');
      watcher!.changed(await store.version());
      await until('pushed-1');
      // Committed while nothing was heard (as during a reconnection): `listening` finds it.
      await setV('pushed-2');
      watcher!.listening();
      await until('pushed-2');
      const snapshot = runtime.snapshots.current;
      watcher!.changed(follower.servedVersion);
      watcher!.changed(follower.servedVersion - 1);
      assert.equal(await follower.check(), false);
      assert.equal(runtime.snapshots.current, snapshot, 'a version already served builds nothing');
    } finally {
      await follower.close();
    }
    assert.equal(pushing.watchers.size, 0, 'closed: no longer watching');
  });

  it('logs lost notifications once per outage, and their return', async () => {
    const pushing = pushingStore(store);
    const { logger: recording, records } = recordingLogger('info');
    const follower = followStore({ store: pushing.store, sealer: box, serviceName: 'gh', runtime, logger: recording, servedVersion: await store.version(), intervalMs: hour });
    try {
      const [watcher] = pushing.watchers;
      for (const retryInMs of [250, 500, 1000]) watcher!.lost('connection refused', retryInMs);
      await setV('after-outage');
      watcher!.listening();
      await until('after-outage');
      const lost = records.filter((r) => String(r.msg).includes('notifications lost'));
      assert.equal(lost.length, 1, JSON.stringify(records));
      assert.equal(lost[0]!.level, 40);
      assert.equal(lost[0]!.pollMs, hour);
      assert.equal(records.filter((r) => String(r.msg).includes('notifications are back')).length, 1);
    } finally {
      await follower.close();
    }
  });

  it('runs a check again when one was asked for while a check that read the old version ran', async () => {
    const pushing = pushingStore(store);
    const follower = followStore({ store: pushing.store, sealer: box, serviceName: 'gh', runtime, logger, servedVersion: await store.version(), intervalMs: hour });
    try {
      const read = pushing.holdNextVersion();
      const first = follower.check();
      await read;
      // The running check has read the version; this change comes after that read.
      await setV('late');
      const second = follower.check();
      pushing.releaseVersion();
      assert.equal(await second, true, 'the second check saw the change');
      assert.equal(await first, true);
      assert.equal(await seen(), 'late');
      assert.equal(follower.servedVersion, await store.version());
    } finally {
      await follower.close();
    }
  });
});
