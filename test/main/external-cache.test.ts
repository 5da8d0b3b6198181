/**
 * Which external cache a gateway process uses, and how it follows reloads: the `caches` entity
 * whose useFromLocation is `default`, else `--redis`, else none; a changed connection string
 * opens a new client, an unchanged one keeps it; a connection string no client could use leaves
 * no external cache and is logged without the string itself.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { Registry } from 'prom-client';
import { GatewayCacheSet } from '../../src/main/external-cache.js';

const sets: GatewayCacheSet[] = [];
after(async () => {
  for (const set of sets) await set.close();
});

function cacheSet(redisUrl?: string, registry?: Registry) {
  const lines: string[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
  const set = new GatewayCacheSet(redisUrl, logger, registry);
  sets.push(set);
  return { set, lines };
}

const entity = (connectionString: string, useFromLocation = 'default') => ({ name: 'c1', connectionString, useFromLocation });

describe('GatewayCacheSet', () => {
  it('has no external cache without --redis or a default caches entity', () => {
    const { set } = cacheSet();
    set.update(undefined);
    assert.equal(set.external(), undefined);
    set.update([entity('redis://127.0.0.1:1', 'westeurope')]);
    assert.equal(set.external(), undefined);
    assert.ok(set.internal);
  });

  it('uses --redis, and a default caches entity over it; follows changes, keeps an unchanged client', () => {
    const { set } = cacheSet('redis://127.0.0.1:1');
    set.update(undefined);
    const fromFlag = set.external();
    assert.ok(fromFlag);
    set.update([entity('redis://127.0.0.1:2')]);
    const fromEntity = set.external();
    assert.ok(fromEntity && fromEntity !== fromFlag);
    set.update([entity('redis://127.0.0.1:2')]);
    assert.equal(set.external(), fromEntity);
    set.update([]);
    assert.ok(set.external() && set.external() !== fromEntity, 'back to --redis');
  });

  it('leaves no external cache for a connection string no client could use, and logs it without the string', () => {
    const { set, lines } = cacheSet();
    set.update([entity('password=s3cret,ssl=True')]);
    assert.equal(set.external(), undefined);
    assert.equal(lines.length, 1);
    assert.match(lines[0]!, /the external cache of the cache 'c1' cannot be used/);
    assert.ok(!lines[0]!.includes('s3cret'));
  });

  it('counts every failure of the external cache by operation in gatehouse_external_cache_failures_total', async () => {
    const registry = new Registry();
    const { set } = cacheSet('redis://127.0.0.1:1', registry);
    set.update(undefined);
    const store = set.external()!;
    assert.equal(await store.get('k'), undefined);
    assert.equal(await store.get('k'), undefined);
    await store.set('k', Buffer.from('v'), 1000);
    await store.delete('k');
    const counted = async (operation: string) =>
      (await registry.getSingleMetric('gatehouse_external_cache_failures_total')!.get()).values.find((v) => v.labels.operation === operation)?.value ?? 0;
    assert.equal(await counted('read'), 2);
    assert.equal(await counted('write'), 1);
    assert.equal(await counted('delete'), 1);
  });
});
