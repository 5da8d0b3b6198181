/**
 * The entity store conformance suite (DESIGN.md "Ports, not globals"): the cases every
 * EntityStore implementation passes, and the gateway heartbeats it keeps beside the entities
 * (GatewayHeartbeatStore). Each engine's test file calls `entityStoreConformance` with a target
 * that opens real stores (a SQLite file in a temp folder, a PostgreSQL schema).
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConditionFailedError } from '../../src/core/entity-store.js';
import type { EntityStore, EntityTransaction, StoredEntity } from '../../src/core/entity-store.js';
import { heartbeatRetention, type GatewayHeartbeatStore, type HeartbeatReport } from '../../src/core/gateway-heartbeat-store.js';
import type { Clock } from '../../src/core/ports.js';

export interface ConformanceTarget {
  /** A fresh, empty place to keep a store (a data folder, a schema name). */
  freshLocation(): Promise<string>;
  /** Opens and migrates the store kept at `location`. */
  open(location: string, clock?: Clock): Promise<Store>;
  /** Removes every location made; runs after the suite. */
  cleanup(): Promise<void>;
  /**
   * Whether two store instances may share one location in this process. PostgreSQL: yes. SQLite
   * refuses it (one instance per file and process), so sqlite-entity-store.test.ts runs the
   * two-instance conflict with two processes instead.
   */
  sharedLocation: boolean;
  /** When set, the whole suite is skipped with this reason. */
  skip?: string;
}

/** What the suite checks: the entity store and the heartbeats it keeps. */
type Store = EntityStore & GatewayHeartbeatStore;

type Clock1 = Clock & { advance(ms: number): void };

function testClock(start = Date.UTC(2026, 0, 1, 12)): Clock1 {
  let now = start;
  return { now: () => now, advance: (ms) => void (now += ms) };
}

/** Gives other transactions time to run: without serialization they would read the same state. */
const pause = () => new Promise<void>((resolve) => setTimeout(resolve, 10));

function conditionCode(code: ConditionFailedError['code']): (error: unknown) => boolean {
  return (error) => {
    assert.ok(error instanceof ConditionFailedError, `expected ConditionFailedError, got ${String(error)}`);
    assert.equal(error.code, code);
    return true;
  };
}

const api = (id: string, body: Record<string, unknown> = { displayName: id }) => ({ kind: 'api', id, parent: '', body });
const gateway = (id: string) => ({ kind: 'gateway', id, parent: '', body: { locationData: { name: id } } });
const beat = (instanceId: string, hostname = `host-${instanceId}`, version = '1.0.0'): HeartbeatReport => ({ instanceId, hostname, version });
const iso = (clock: Clock) => new Date(clock.now()).toISOString();

const op = (apiId: string, name: string) => ({
  kind: 'operation',
  id: `${apiId}/operations/${name}`,
  parent: apiId,
  body: { method: 'GET', urlTemplate: `/${name}` },
});

/** Defines the shared cases for one engine. */
export function entityStoreConformance(engine: string, target: ConformanceTarget): void {
  describe(`EntityStore conformance: ${engine}`, { skip: target.skip }, () => {
    const opened: Store[] = [];
    after(async () => {
      for (const store of opened) await store.close();
      await target.cleanup();
    });

    async function fresh(clock?: Clock): Promise<{ store: Store; location: string }> {
      const location = await target.freshLocation();
      const store = await target.open(location, clock);
      opened.push(store);
      return { store, location };
    }

    async function put(store: Store, entity: Parameters<EntityTransaction['put']>[0], condition?: Parameters<EntityTransaction['put']>[1]) {
      return store.transaction('tester', (tx) => tx.put(entity, condition));
    }

    it('creates, reads, replaces and deletes, with a new ETag and time on every write', async () => {
      const clock = testClock();
      const { store } = await fresh(clock);
      assert.equal(await store.get('apis/echo'), undefined);
      const body = { displayName: 'Echo', path: 'echo', protocols: ['https'], nested: { z: 1, a: [true, null, 'ü€😀'] } };
      const created = await put(store, api('apis/echo', body));
      assert.equal(created.id, 'apis/echo');
      assert.equal(created.kind, 'api');
      assert.equal(created.parent, '');
      assert.equal(created.updatedAt, new Date(clock.now()).toISOString());
      assert.ok(created.etag.length > 0);
      const read = await store.get('apis/echo');
      assert.deepEqual(read, created);
      // Property order survives (ARM bodies come back as written).
      assert.equal(JSON.stringify(read!.body), JSON.stringify(body));

      clock.advance(1000);
      const replaced = await put(store, api('apis/echo', { displayName: 'Echo 2' }));
      assert.notEqual(replaced.etag, created.etag);
      assert.equal(replaced.updatedAt, new Date(clock.now()).toISOString());
      assert.deepEqual((await store.get('apis/echo'))!.body, { displayName: 'Echo 2' });

      // Same body again: still a write, still a new ETag.
      const again = await put(store, api('apis/echo', { displayName: 'Echo 2' }));
      assert.notEqual(again.etag, replaced.etag);

      assert.equal(await store.transaction('tester', (tx) => tx.delete('apis/echo')), true);
      assert.equal(await store.get('apis/echo'), undefined);
      assert.equal(await store.transaction('tester', (tx) => tx.delete('apis/echo')), false);
      assert.deepEqual(await store.all(), []);
    });

    it('checks If-Match (match, mismatch, *) and If-None-Match * inside the transaction', async () => {
      const { store } = await fresh();
      const first = await put(store, api('apis/a'), { ifNoneMatch: '*' });
      await assert.rejects(put(store, api('apis/a', { displayName: 'dup' }), { ifNoneMatch: '*' }), conditionCode('Conflict'));

      const second = await put(store, api('apis/a', { displayName: 'v2' }), { ifMatch: first.etag });
      await assert.rejects(put(store, api('apis/a', { displayName: 'stale' }), { ifMatch: first.etag }), conditionCode('PreconditionFailed'));
      assert.deepEqual(await store.get('apis/a'), second, 'a refused write changes nothing');

      const third = await put(store, api('apis/a', { displayName: 'v3' }), { ifMatch: '*' });
      assert.notEqual(third.etag, second.etag);
      await assert.rejects(put(store, api('apis/missing'), { ifMatch: '*' }), conditionCode('NotFound'));
      await assert.rejects(put(store, api('apis/missing'), { ifMatch: third.etag }), conditionCode('NotFound'));
      assert.equal(await store.get('apis/missing'), undefined);

      await assert.rejects(
        store.transaction('t', (tx) => tx.delete('apis/a', { ifMatch: second.etag })),
        conditionCode('PreconditionFailed'),
      );
      assert.deepEqual(await store.get('apis/a'), third);
      await assert.rejects(store.transaction('t', (tx) => tx.delete('apis/missing', { ifMatch: '*' })), conditionCode('NotFound'));
      assert.equal(await store.transaction('t', (tx) => tx.delete('apis/a', { ifMatch: third.etag })), true);
      assert.equal(await store.get('apis/a'), undefined);
    });

    it('treats ids case-insensitively and keeps the casing they were created with', async () => {
      const { store } = await fresh();
      await put(store, api('apis/Echo-API', { displayName: 'one' }));
      await put(store, { ...op('apis/Echo-API', 'GetThing') });
      assert.equal((await store.get('APIS/echo-api'))!.id, 'apis/Echo-API');
      const replaced = await put(store, api('apis/ECHO-api', { displayName: 'two' }));
      assert.equal(replaced.id, 'apis/Echo-API');
      const apis = await store.list({ kind: 'api' });
      assert.equal(apis.total, 1);
      assert.deepEqual(apis.items[0]!.body, { displayName: 'two' });
      const ops = await store.list({ kind: 'operation', parent: 'APIS/ECHO-API' });
      assert.deepEqual(
        ops.items.map((e) => e.id),
        ['apis/Echo-API/operations/GetThing'],
      );
      await assert.rejects(put(store, api('APIS/echo-api'), { ifNoneMatch: '*' }), conditionCode('Conflict'));
      assert.equal(await store.transaction('t', (tx) => tx.delete('apis/echo-API')), true);
      assert.deepEqual(await store.all(), [], 'the operation went with its API');
    });

    it('lists by kind and parent, ordered by id, with skip, top and the total before paging', async () => {
      const { store } = await fresh();
      await store.transaction('t', async (tx) => {
        await tx.put(api('apis/b'));
        await tx.put(api('apis/a'));
        for (const name of ['delta', 'Alpha', 'charlie', 'bravo', 'echo']) await tx.put(op('apis/a', name));
        await tx.put(op('apis/b', 'other'));
        await tx.put({ kind: 'product', id: 'products/starter', parent: '', body: {} });
      });
      const all = await store.list({ kind: 'operation', parent: 'apis/a' });
      assert.equal(all.total, 5);
      assert.deepEqual(
        all.items.map((e) => e.id.split('/').pop()),
        ['Alpha', 'bravo', 'charlie', 'delta', 'echo'],
      );
      const page = await store.list({ kind: 'operation', parent: 'apis/a', skip: 1, top: 2 });
      assert.deepEqual(
        { total: page.total, names: page.items.map((e) => e.id.split('/').pop()) },
        { total: 5, names: ['bravo', 'charlie'] },
      );
      const tail = await store.list({ kind: 'operation', parent: 'apis/a', skip: 4, top: 10 });
      assert.deepEqual(tail.items.map((e) => e.id.split('/').pop()), ['echo']);
      assert.deepEqual(await store.list({ kind: 'operation', parent: 'apis/a', skip: 9 }), { items: [], total: 5 });
      assert.deepEqual(await store.list({ kind: 'operation', parent: 'apis/a', top: 0 }), { items: [], total: 5 });
      assert.equal((await store.list({ kind: 'operation' })).total, 6);
      assert.deepEqual(
        (await store.list({ kind: 'api' })).items.map((e) => e.id),
        ['apis/a', 'apis/b'],
      );
      assert.deepEqual(await store.list({ kind: 'operation', parent: 'apis/none' }), { items: [], total: 0 });
      assert.deepEqual(await store.list({ kind: 'nothing' }), { items: [], total: 0 });
      // Inside a transaction, lists see the transaction's own writes.
      await store.transaction('t', async (tx) => {
        await tx.put(op('apis/a', 'foxtrot'));
        assert.equal((await tx.list({ kind: 'operation', parent: 'apis/a' })).total, 6);
        await tx.delete('apis/a/operations/alpha');
        const listed = await tx.list({ kind: 'operation', parent: 'apis/a', top: 1 });
        assert.deepEqual({ total: listed.total, first: listed.items[0]!.id }, { total: 5, first: 'apis/a/operations/bravo' });
      });
      assert.deepEqual(
        (await store.all()).map((e) => e.id),
        [
          'apis/a',
          'apis/a/operations/bravo',
          'apis/a/operations/charlie',
          'apis/a/operations/delta',
          'apis/a/operations/echo',
          'apis/a/operations/foxtrot',
          'apis/b',
          'apis/b/operations/other',
          'products/starter',
        ],
      );
      await assert.rejects(store.list({ kind: 'api', skip: -1 }), TypeError);
      await assert.rejects(store.list({ kind: 'api', top: 1.5 }), TypeError);
    });

    it('deletes every descendant with an entity, and nothing that merely shares a prefix', async () => {
      const { store } = await fresh();
      const keep = ['apis/a;rev=2', 'apis/ab', 'apis/a0', 'apis/a.x', 'apis/a;rev=2/operations/x', 'products/p/apis/a'];
      await store.transaction('t', async (tx) => {
        await tx.put(api('apis/a'));
        await tx.put(op('apis/a', 'x'));
        await tx.put({ kind: 'policy', id: 'apis/a/operations/x/policies/policy', parent: 'apis/a/operations/x', body: { value: '<policies/>' } });
        await tx.put({ kind: 'policy', id: 'apis/A/policies/policy', parent: 'apis/A', body: {} });
        for (const id of keep) {
          const parent = id.includes('/operations/') ? 'apis/a;rev=2' : id.startsWith('products/') ? 'products/p' : '';
          await tx.put({ kind: 'other', id, parent, body: {} });
        }
      });
      const version = await store.version();
      const deleted = await store.transaction('remover', (tx) => tx.delete('APIS/A'));
      assert.equal(deleted, true);
      assert.deepEqual((await store.all()).map((e) => e.id).sort(), [...keep].sort());
      assert.equal(await store.version(), version + 1);
      const records = (await store.audit()).filter((r) => r.actor === 'remover');
      assert.deepEqual(records.map((r) => [r.action, r.id, r.etagAfter]).sort(), [
        ['delete', 'apis/A/policies/policy', null],
        ['delete', 'apis/a', null],
        ['delete', 'apis/a/operations/x', null],
        ['delete', 'apis/a/operations/x/policies/policy', null],
      ]);
      assert.ok(records.every((r) => typeof r.etagBefore === 'string' && r.etagBefore.length > 0));
    });

    it('writes nothing when the work throws, including writes made before the throw', async () => {
      const { store } = await fresh();
      const existing = await put(store, api('apis/keep', { displayName: 'before' }));
      await put(store, op('apis/keep', 'child'));
      const version = await store.version();
      const auditCount = (await store.audit()).length;
      const failure = new Error('boom');
      await assert.rejects(
        store.transaction('t', async (tx) => {
          await tx.put(api('apis/new'));
          await tx.put(api('apis/keep', { displayName: 'changed' }));
          await tx.delete('apis/keep/operations/child');
          assert.ok(await tx.get('apis/new'), 'the transaction sees its own write');
          throw failure;
        }),
        (error) => error === failure,
      );
      assert.equal(await store.get('apis/new'), undefined);
      assert.deepEqual(await store.get('apis/keep'), existing);
      assert.ok(await store.get('apis/keep/operations/child'));
      assert.equal(await store.version(), version);
      assert.equal((await store.audit()).length, auditCount);

      // A failed condition after successful writes also undoes them.
      await assert.rejects(
        store.transaction('t', async (tx) => {
          await tx.put(api('apis/new2'));
          await tx.put(api('apis/keep'), { ifMatch: 'not-the-etag' });
        }),
        conditionCode('PreconditionFailed'),
      );
      assert.equal(await store.get('apis/new2'), undefined);
      assert.equal(await store.version(), version);

      // The store is still usable after rollbacks.
      await put(store, api('apis/after'));
      assert.equal(await store.version(), version + 1);
    });

    it('keeps uncommitted writes invisible outside the transaction until commit', async () => {
      const { store } = await fresh();
      await store.transaction('t', async (tx) => {
        await tx.put(api('apis/pending'));
        assert.equal(await store.get('apis/pending'), undefined);
        assert.equal((await store.list({ kind: 'api' })).total, 0);
        assert.equal(await store.version(), 0);
      });
      assert.ok(await store.get('apis/pending'));
      assert.equal(await store.version(), 1);
    });

    it('increments the version once per committed writing transaction, and only then', async () => {
      const { store } = await fresh();
      assert.equal(await store.version(), 0);
      await store.transaction('t', async (tx) => {
        await tx.put(api('apis/one'));
        await tx.put(api('apis/two'));
        await tx.put(api('apis/one', { displayName: 'again' }));
      });
      assert.equal(await store.version(), 1);
      assert.equal(await store.transaction('t', async (tx) => (await tx.get('apis/one'))?.id), 'apis/one');
      assert.equal(await store.version(), 1, 'a read-only transaction is not a change');
      assert.equal(await store.transaction('t', (tx) => tx.delete('apis/none')), false);
      assert.equal(await store.version(), 1, 'deleting nothing is not a change');
      await assert.rejects(put(store, api('apis/one'), { ifNoneMatch: '*' }), conditionCode('Conflict'));
      assert.equal(await store.version(), 1, 'a refused write is not a change');
      await store.transaction('t', (tx) => tx.delete('apis/two'));
      assert.equal(await store.version(), 2);
    });

    it('records who changed what, when, and the ETags before and after', async () => {
      const clock = testClock(Date.UTC(2026, 2, 3, 4, 5, 6));
      const { store } = await fresh(clock);
      const created = await store.transaction('alice', (tx) => tx.put(api('apis/Audited')));
      clock.advance(60_000);
      const replaced = await store.transaction('bob', (tx) => tx.put(api('apis/audited', { displayName: 'b' })));
      clock.advance(60_000);
      await store.transaction('carol', (tx) => tx.delete('apis/AUDITED'));
      const records = await store.audit();
      assert.deepEqual(records, [
        { at: '2026-03-03T04:05:06.000Z', actor: 'alice', action: 'put', kind: 'api', id: 'apis/Audited', etagBefore: null, etagAfter: created.etag },
        { at: '2026-03-03T04:06:06.000Z', actor: 'bob', action: 'put', kind: 'api', id: 'apis/Audited', etagBefore: created.etag, etagAfter: replaced.etag },
        { at: '2026-03-03T04:07:06.000Z', actor: 'carol', action: 'delete', kind: 'api', id: 'apis/Audited', etagBefore: replaced.etag, etagAfter: null },
      ]);
      assert.deepEqual(
        (await store.audit({ since: '2026-03-03T04:06:06.000Z' })).map((r) => r.actor),
        ['bob', 'carol'],
      );
      assert.deepEqual(
        (await store.audit({ limit: 2 })).map((r) => r.actor),
        ['bob', 'carol'],
      );
      assert.deepEqual(
        (await store.audit({ since: '2026-03-03T04:05:00.000Z', limit: 1 })).map((r) => r.actor),
        ['carol'],
      );
    });

    it('lets exactly one of several concurrent writes with the same If-Match win', async () => {
      const { store } = await fresh();
      const base = await put(store, api('apis/race', { displayName: 'base' }));
      const contenders = ['w1', 'w2', 'w3', 'w4'];
      const results = await Promise.allSettled(
        contenders.map((name) =>
          store.transaction(name, async (tx) => {
            const seen = await tx.get('apis/race');
            assert.ok(seen);
            await pause();
            return tx.put(api('apis/race', { displayName: name }), { ifMatch: base.etag });
          }),
        ),
      );
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r) => r.status === 'rejected');
      assert.equal(won.length, 1);
      for (const loss of lost) conditionCode('PreconditionFailed')(loss.reason);
      const winner = (won[0] as PromiseFulfilledResult<StoredEntity>).value;
      assert.deepEqual(await store.get('apis/race'), winner);
      assert.equal(await store.version(), 2);
      assert.equal((await store.audit()).filter((r) => r.id === 'apis/race').length, 2);
    });

    it('lets exactly one concurrent create with If-None-Match * win', async () => {
      const { store } = await fresh();
      const results = await Promise.allSettled(
        ['c1', 'c2', 'c3'].map((name) =>
          store.transaction(name, async (tx) => {
            await tx.get('apis/new');
            await pause();
            return tx.put(api('apis/new', { displayName: name }), { ifNoneMatch: '*' });
          }),
        ),
      );
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
      for (const r of results) if (r.status === 'rejected') conditionCode('Conflict')(r.reason);
      assert.equal((await store.list({ kind: 'api' })).total, 1);
    });

    if (target.sharedLocation) it('serializes conflicting writes from two store instances over the same storage', async () => {
      const { store, location } = await fresh();
      const other = await target.open(location);
      opened.push(other);
      const base = await put(store, api('apis/shared', { displayName: 'base' }));
      const results = await Promise.allSettled(
        [store, other, store, other].map((s, i) =>
          s.transaction(`instance${i}`, async (tx) => {
            await tx.get('apis/shared');
            await pause();
            return tx.put(api('apis/shared', { displayName: `from ${i}` }), { ifMatch: base.etag });
          }),
        ),
      );
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
      for (const r of results) if (r.status === 'rejected') conditionCode('PreconditionFailed')(r.reason);
      assert.equal(await other.version(), 2);
      assert.deepEqual(await other.get('apis/shared'), await store.get('apis/shared'));
    });

    it('runs transactions one after another: a read-modify-write never loses an update', async () => {
      const { store } = await fresh();
      await put(store, { kind: 'counter', id: 'counters/c', parent: '', body: { n: 0 } });
      await Promise.all(
        Array.from({ length: 8 }, () =>
          store.transaction('inc', async (tx) => {
            const current = await tx.get('counters/c');
            await pause();
            await tx.put({ kind: 'counter', id: 'counters/c', parent: '', body: { n: (current!.body.n as number) + 1 } });
          }),
        ),
      );
      assert.deepEqual((await store.get('counters/c'))!.body, { n: 8 });
      assert.equal(await store.version(), 9);
    });

    it('refuses a nested transaction and a transaction object used after its end', async () => {
      const { store } = await fresh();
      let kept: EntityTransaction | undefined;
      await assert.rejects(
        store.transaction('t', async (tx) => {
          await tx.put(api('apis/outer'));
          await store.transaction('t', (inner) => inner.put(api('apis/inner')));
        }),
        /inside a transaction/,
      );
      assert.deepEqual(await store.all(), []);
      await store.transaction('t', async (tx) => {
        kept = tx;
      });
      await assert.rejects(kept!.put(api('apis/late')), /already ended/);
      await assert.rejects(kept!.get('apis/late'), /already ended/);
      assert.equal(await store.get('apis/late'), undefined);
    });

    it('refuses ids and parents it could not key consistently', async () => {
      const { store } = await fresh();
      await assert.rejects(put(store, api('')), TypeError);
      await assert.rejects(put(store, api('apis//x')), TypeError);
      await assert.rejects(put(store, api('apis/x/')), TypeError);
      await assert.rejects(put(store, { kind: 'operation', id: 'apis/x/operations/y', parent: 'apis/z', body: {} }), TypeError);
      await assert.rejects(store.get(''), TypeError);
      assert.equal(await store.version(), 0);
    });

    it('keeps everything across close and reopen, and migrating again changes nothing', async () => {
      const clock = testClock();
      const { store, location } = await fresh(clock);
      const created = await store.transaction('alice', async (tx) => {
        await tx.put(api('apis/Persisted', { displayName: 'kept', list: [1, 2, 3] }));
        return tx.put(op('apis/Persisted', 'op1'));
      });
      await store.transaction('bob', (tx) => tx.put(api('apis/second')));
      const before = { all: await store.all(), version: await store.version(), audit: await store.audit() };
      await store.close();
      const reopened = await target.open(location, clock);
      opened.push(reopened);
      assert.deepEqual(await reopened.all(), before.all);
      assert.equal(await reopened.version(), 2);
      assert.deepEqual(await reopened.audit(), before.audit);
      assert.deepEqual(await reopened.get('apis/persisted/operations/OP1'), created);
      await reopened.migrate();
      assert.deepEqual(await reopened.all(), before.all);
      await reopened.transaction('carol', (tx) => tx.put(api('apis/third')));
      assert.equal(await reopened.version(), 3);
      await assert.rejects(store.get('apis/second'), /closed/);
    });

    it('keeps gateway heartbeats beside the entities: upserts by instance, lists the latest first, bumps no version, audits nothing', async () => {
      const clock = testClock();
      const { store } = await fresh(clock);
      await put(store, gateway('gateways/Gw1'));
      await put(store, gateway('gateways/gw2'));
      const before = { version: await store.version(), audit: await store.audit(), all: await store.all() };
      const first = iso(clock);
      assert.equal(await store.recordHeartbeat('gateways/Gw1', beat('pod-a', 'node-1')), true);
      clock.advance(1000);
      assert.equal(await store.recordHeartbeat('GATEWAYS/GW1', beat('pod-b')), true, 'gateway ids are case-insensitive');
      clock.advance(1000);
      assert.equal(await store.recordHeartbeat('gateways/gw1', beat('pod-a', 'node-1b', '1.1.0')), true);
      assert.deepEqual(await store.listHeartbeats('gateways/gW1'), [
        { instanceId: 'pod-a', hostname: 'node-1b', version: '1.1.0', firstHeartbeat: first, lastHeartbeat: iso(clock) },
        { instanceId: 'pod-b', hostname: 'host-pod-b', version: '1.0.0', firstHeartbeat: '2026-01-01T12:00:01.000Z', lastHeartbeat: '2026-01-01T12:00:01.000Z' },
      ]);
      // Recorded in the same millisecond: the order of recording still decides.
      await store.recordHeartbeat('gateways/gw1', beat('pod-b'));
      assert.deepEqual((await store.listHeartbeats('gateways/gw1')).map((b) => b.instanceId), ['pod-b', 'pod-a']);
      assert.deepEqual(await store.listHeartbeats('gateways/gw2'), [], "another gateway's list is its own");
      assert.equal(await store.recordHeartbeat('gateways/none', beat('pod-x')), false, 'no such entity: nothing recorded');
      assert.deepEqual(await store.listHeartbeats('gateways/none'), []);
      assert.equal(await store.version(), before.version, 'a heartbeat is not a configuration change');
      assert.deepEqual(await store.audit(), before.audit, 'nor an audited write');
      assert.deepEqual(await store.all(), before.all, 'nor an entity');
      await assert.rejects(store.recordHeartbeat('gateways//x', beat('pod-a')), TypeError);
      await assert.rejects(store.listHeartbeats(''), TypeError);
    });

    it('keeps at most the retention\'s number of instances per gateway, dropping the one recorded least recently', async () => {
      const clock = testClock();
      const { store } = await fresh(clock);
      await put(store, gateway('gateways/big'));
      await put(store, gateway('gateways/small'));
      await store.recordHeartbeat('gateways/small', beat('alone'));
      const limit = heartbeatRetention.instancesPerGateway;
      for (let i = 0; i < limit; i++) {
        clock.advance(1);
        await store.recordHeartbeat('gateways/big', beat(`i-${i}`));
      }
      assert.equal((await store.listHeartbeats('gateways/big')).length, limit);
      // i-0 beats again, so i-1 and i-2 are the least recently recorded when two more come.
      await store.recordHeartbeat('gateways/big', beat('i-0'));
      await store.recordHeartbeat('gateways/big', beat('new-1'));
      await store.recordHeartbeat('gateways/big', beat('new-2'));
      const listed = (await store.listHeartbeats('gateways/big')).map((b) => b.instanceId);
      assert.equal(listed.length, limit);
      assert.deepEqual(listed.slice(0, 4), ['new-2', 'new-1', 'i-0', `i-${limit - 1}`]);
      assert.equal(listed.at(-1), 'i-3');
      assert.ok(!listed.includes('i-1') && !listed.includes('i-2'));
      assert.deepEqual((await store.listHeartbeats('gateways/small')).map((b) => b.instanceId), ['alone'], 'the bound is per gateway');
    });

    it('stops listing an instance silent past the retention, and deletes it on the next write', async () => {
      const clock = testClock();
      const { store } = await fresh(clock);
      await put(store, gateway('gateways/gw1'));
      await put(store, gateway('gateways/gw2'));
      await store.recordHeartbeat('gateways/gw1', beat('old'));
      clock.advance(heartbeatRetention.maxAgeMs);
      await store.recordHeartbeat('gateways/gw1', beat('recent'));
      assert.deepEqual((await store.listHeartbeats('gateways/gw1')).map((b) => b.instanceId), ['recent', 'old'], 'exactly the retention old: still kept');
      clock.advance(1);
      assert.deepEqual((await store.listHeartbeats('gateways/gw1')).map((b) => b.instanceId), ['recent'], 'past the retention: not listed');
      // The clock turned back shows what is still stored: not listed is not yet deleted.
      clock.advance(-1);
      assert.deepEqual((await store.listHeartbeats('gateways/gw1')).map((b) => b.instanceId), ['recent', 'old']);
      clock.advance(1);
      // A write for any gateway deletes every entry past the retention.
      await store.recordHeartbeat('gateways/gw2', beat('other'));
      clock.advance(-1);
      assert.deepEqual((await store.listHeartbeats('gateways/gw1')).map((b) => b.instanceId), ['recent'], 'deleted on write');
    });

    it('deletes a gateway\'s heartbeats with it (and with nothing else), and keeps them when the delete rolls back', async () => {
      const { store } = await fresh();
      for (const id of ['gateways/gw1', 'gateways/gw10', 'gateways/gw1;x']) await put(store, gateway(id));
      for (const id of ['gateways/gw1', 'gateways/gw10', 'gateways/gw1;x']) await store.recordHeartbeat(id, beat('pod'));
      await put(store, { kind: 'gatewayApi', id: 'gateways/gw1/apis/echo', parent: 'gateways/gw1', body: {} });
      await put(store, gateway('gateways/gw1'));
      await store.transaction('t', (tx) => tx.delete('gateways/gw1/apis/echo'));
      assert.equal((await store.listHeartbeats('gateways/gw1')).length, 1, 'replacing the gateway or deleting below it keeps them');
      await assert.rejects(
        store.transaction('t', async (tx) => {
          await tx.delete('gateways/GW1');
          throw new Error('changed my mind');
        }),
        /changed my mind/,
      );
      assert.equal((await store.listHeartbeats('gateways/gw1')).length, 1, 'a rolled-back delete keeps them');
      await store.transaction('t', (tx) => tx.delete('gateways/GW1'));
      assert.equal(await store.recordHeartbeat('gateways/gw1', beat('late')), false, 'a deleted gateway takes no heartbeat');
      // A new gateway of the same name starts with none: they were deleted, not hidden.
      await put(store, gateway('gateways/gw1'));
      assert.deepEqual(await store.listHeartbeats('gateways/gw1'), []);
      assert.equal((await store.listHeartbeats('gateways/gw10')).length, 1);
      assert.equal((await store.listHeartbeats('gateways/gw1;x')).length, 1);
      assert.deepEqual(
        (await store.audit()).filter((r) => r.action === 'delete').map((r) => r.id),
        ['gateways/gw1/apis/echo', 'gateways/gw1'],
        'the audit log has the gateway, not its heartbeats',
      );
    });

    it('records concurrent heartbeats all, each once', async () => {
      const { store, location } = await fresh();
      await put(store, gateway('gateways/busy'));
      const stores = target.sharedLocation ? [store, await target.open(location)] : [store];
      if (stores[1]) opened.push(stores[1]);
      const version = await store.version();
      const results = await Promise.all(
        Array.from({ length: 24 }, (_, i) => stores[i % stores.length]!.recordHeartbeat('gateways/busy', beat(`pod-${i % 12}`))),
      );
      assert.ok(results.every((r) => r === true));
      for (const s of stores) {
        const listed = (await s.listHeartbeats('gateways/busy')).map((b) => b.instanceId);
        assert.deepEqual([...listed].sort(), Array.from({ length: 12 }, (_, i) => `pod-${i}`).sort());
      }
      assert.equal(await store.version(), version);
    });
  });
}
