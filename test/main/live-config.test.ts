/**
 * The gateway following the store (live-config.ts) with a real SQLite store and a real gateway
 * on a loopback port: a committed change is swapped in; a stored configuration that does not
 * compile (written around the management API's save-time checks) never reaches the gateway,
 * which keeps the last good snapshot until a later version compiles; one stored resource that
 * cannot be read is left out and reported, and every later change still goes in.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { createLogger } from '../../src/core/logger.js';
import { startGatewayRuntime, type GatewayRuntime } from '../../src/main/gateway-runtime.js';
import { followStore, type LiveConfig } from '../../src/main/live-config.js';
import { startEchoBackend, type EchoBackend } from '../../src/main/sample/echo-backend.js';
import { readStoreConfig } from '../../src/management/store-config/read-store-config.js';
import { SecretBox } from '../../src/store/secret-box.js';
import { SqliteEntityStore } from '../../src/store/sqlite-entity-store.js';

const logger = createLogger('silent');

/** A real logger whose warnings are kept, to see what live config reports. */
function recordingLogger(): { logger: typeof logger; warnings: Array<Record<string, unknown>> } {
  const warnings: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      warnings.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level: 'warn' }, sink), warnings };
}
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
    const { logger: recording, warnings } = recordingLogger();
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
});
