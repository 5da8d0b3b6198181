/**
 * The per-connection memo of subscription decisions (connection-key-memo.ts): the same answers
 * as the index on every input, forgotten when the snapshot's index changes or the socket closes,
 * and bounded when a client rotates keys. Real loopback sockets, the real index.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Api } from '../../../src/model/resources.js';
import { authorizeOnConnection, maxKeysPerConnection, rememberedKeyCount } from '../../../src/gateway/subscriptions/connection-key-memo.js';
import { SubscriptionIndex } from '../../../src/gateway/subscriptions/subscription-index.js';
import { apis, config, subscriptions } from './fixture.js';

const index = SubscriptionIndex.build(config);

/** An index whose `authorize` counts its calls and answers as `inner` does. */
function counting(inner: SubscriptionIndex): { index: SubscriptionIndex; calls: () => number } {
  let calls = 0;
  const wrapper = {
    authorize(api: Pick<Api, 'name' | 'subscriptionRequired'>, key: string | undefined) {
      calls++;
      return inner.authorize(api, key);
    },
  };
  return { index: wrapper as unknown as SubscriptionIndex, calls: () => calls };
}

/** A deterministic generator (mulberry32), so a failure replays. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('the subscription decision remembered per connection', () => {
  let server: Server;
  const open: Socket[] = [];

  async function socket(): Promise<Socket> {
    const { port } = server.address() as AddressInfo;
    const s = connect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => s.once('connect', resolve).once('error', reject));
    open.push(s);
    return s;
  }

  before(async () => {
    server = createServer((s) => s.on('error', () => {}));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  after(async () => {
    for (const s of open) s.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  it('answers exactly as the index on every key, API and order (old and new path compared)', async () => {
    const keys = [undefined, '', 'no-such-key', 'API-ORDERS-PRIMARY', 'shared-key'];
    for (const s of subscriptions) keys.push(s.primaryKey, s.secondaryKey);
    const apiList = Object.values(apis);
    const sockets = [await socket(), await socket()];
    const next = random(19);
    for (let i = 0; i < 5000; i++) {
      const key = keys[Math.floor(next() * keys.length)];
      const api = apiList[Math.floor(next() * apiList.length)]!;
      const on = sockets[Math.floor(next() * sockets.length)]!;
      // The very object the index returns: grants and refusals alike.
      assert.equal(authorizeOnConnection(on, index, api, key), index.authorize(api, key), `${String(key)} on ${api.name}`);
    }
  });

  it('asks the index once per key and API on one connection', async () => {
    const s = await socket();
    const c = counting(index);
    for (let i = 0; i < 3; i++) assert.equal(authorizeOnConnection(s, c.index, apis.orders, 'api-orders-primary').granted, true);
    assert.equal(c.calls(), 1);
    assert.equal(rememberedKeyCount(s), 1);
    // Another API with the same key is a new question, answered by the index.
    assert.equal(authorizeOnConnection(s, c.index, apis.catalog, 'api-orders-primary').granted, false);
    assert.equal(c.calls(), 2);
    // Another connection does not see this one's memo.
    const other = await socket();
    authorizeOnConnection(other, c.index, apis.catalog, 'api-orders-primary');
    assert.equal(c.calls(), 3);
  });

  it('forgets everything when the snapshot brings a new index: a suspended key is refused on the next request', async () => {
    const s = await socket();
    assert.equal(authorizeOnConnection(s, index, apis.orders, 'api-orders-primary').granted, true);
    const suspended = SubscriptionIndex.build({
      ...config,
      subscriptions: subscriptions.map((sub) => (sub.name === 'api-orders' ? { ...sub, state: 'suspended' as const } : sub)),
    });
    const refused = authorizeOnConnection(s, suspended, apis.orders, 'api-orders-primary');
    assert.deepEqual(refused, { granted: false, code: 'SubscriptionKeyInvalid' });
    // A regenerated key: the old one is unknown to the new index, the new one works.
    const regenerated = SubscriptionIndex.build({
      ...config,
      subscriptions: subscriptions.map((sub) => (sub.name === 'api-orders' ? { ...sub, primaryKey: 'api-orders-new' } : sub)),
    });
    assert.equal(authorizeOnConnection(s, regenerated, apis.orders, 'api-orders-primary').granted, false);
    assert.equal(authorizeOnConnection(s, regenerated, apis.orders, 'api-orders-new').granted, true);
  });

  it('stays bounded when a client rotates keys', async () => {
    const s = await socket();
    const c = counting(index);
    for (let i = 0; i < 100; i++) {
      authorizeOnConnection(s, c.index, apis.orders, `rotating-${i}`);
      assert.ok(rememberedKeyCount(s) <= maxKeysPerConnection, `${rememberedKeyCount(s)} keys held`);
    }
    assert.equal(c.calls(), 100);
    assert.ok(rememberedKeyCount(s) >= 1);
  });

  it('drops the keys when the socket closes, and keeps none for a socket already destroyed', async () => {
    const s = await socket();
    authorizeOnConnection(s, index, apis.orders, 'api-orders-primary');
    assert.equal(rememberedKeyCount(s), 1);
    const closed = new Promise((resolve) => s.once('close', resolve));
    s.destroy();
    await closed;
    assert.equal(rememberedKeyCount(s), 0);
    // After close: still the index's answer, and nothing remembered.
    const c = counting(index);
    assert.equal(authorizeOnConnection(s, c.index, apis.orders, 'api-orders-primary').granted, true);
    assert.equal(authorizeOnConnection(s, c.index, apis.orders, 'api-orders-primary').granted, true);
    assert.equal(c.calls(), 2);
    assert.equal(rememberedKeyCount(s), 0);
  });

  it('remembers nothing for a request without a key', async () => {
    const s = await socket();
    const c = counting(index);
    assert.equal(authorizeOnConnection(s, c.index, apis.orders, undefined).granted, false);
    assert.equal(authorizeOnConnection(s, c.index, apis.openApi, '').granted, true);
    assert.equal(c.calls(), 2);
    assert.equal(rememberedKeyCount(s), 0);
  });
});
