/** The in-memory trace store: bounded by count, bytes and age; a lookup waits for a trace on its way. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryTraceStore } from '../../src/store/memory-trace-store.js';
import type { TraceDocument } from '../../src/core/request-traces.js';

const trace = (id: string, gatewayId = 'managed', text = ''): TraceDocument => ({ traceId: id, gatewayId, traceEntries: { inbound: [{ source: 's', timestamp: 't', elapsed: 'e', data: text }] } });

describe('memory trace store', () => {
  it('finds a trace by gateway and id, not under another gateway', async () => {
    const store = new MemoryTraceStore();
    store.keep(trace('a'));
    assert.equal((await store.find('MANAGED', 'a', 0))?.traceId, 'a');
    assert.equal(await store.find('gw1', 'a', 0), undefined);
  });

  it('drops the oldest beyond the count and byte limits, and expired ones', async () => {
    let now = 1000;
    const store = new MemoryTraceStore({ maxTraces: 2, maxBytes: 2000, ttlMs: 500 }, () => now);
    store.keep(trace('a'));
    store.keep(trace('b'));
    store.keep(trace('c'));
    assert.equal(await store.find('managed', 'a', 0), undefined);
    assert.ok(await store.find('managed', 'b', 0));
    store.keep(trace('big', 'managed', 'x'.repeat(1500)));
    assert.equal(await store.find('managed', 'b', 0), undefined);
    assert.ok(store.size.bytes <= 2000);
    store.keep(trace('huge', 'managed', 'x'.repeat(5000)));
    assert.equal(await store.find('managed', 'huge', 0), undefined, 'a trace larger than the store is not kept');
    now += 600;
    assert.equal(await store.find('managed', 'big', 0), undefined);
    assert.equal(store.size.traces, 0);
  });

  it('lets a lookup wait for a trace still on its way, and gives up after the wait', async () => {
    const store = new MemoryTraceStore();
    const waiting = store.find('managed', 'late', 2000);
    setTimeout(() => store.keep(trace('late')), 20);
    assert.equal((await waiting)?.traceId, 'late');
    const started = Date.now();
    assert.equal(await store.find('managed', 'never', 50), undefined);
    assert.ok(Date.now() - started >= 45);
  });
});
