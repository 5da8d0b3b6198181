/**
 * ClusterCounterStore against a real child process over Node's IPC channel (structured-clone
 * serialization, as `--workers` uses): every call gives what the primary's MemoryCounterStore
 * gives, Infinity survives the trip, store failures come back as rejections, and calls fail
 * fast once the primary is gone.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import type { RateLimitResult } from '../../src/core/ports.js';
import { ClusterCounterStore, type CounterChannel } from '../../src/store/cluster-counter-store.js';
import { answerCounterRequest, isCounterRequest } from '../../src/store/counter-messages.js';
import { MemoryCounterStore } from '../../src/store/memory-counter-store.js';

const childPath = new URL('./cluster-counter-child.ts', import.meta.url).pathname;
const t0 = Date.UTC(2026, 0, 1);

/** The primary's store; one key stands for a store that is down. */
class HostStore extends MemoryCounterStore {
  override async rateLimit(key: string, limit: number, windowMs: number, increment: number, nowMs: number): Promise<RateLimitResult> {
    if (key === 'boom') throw new Error('counter store unreachable');
    return super.rateLimit(key, limit, windowMs, increment, nowMs);
  }
}

describe('ClusterCounterStore', () => {
  it('forwards every call to the primary store and returns its answers', async () => {
    const host = new HostStore();
    const child = fork(childPath, [], { execArgv: ['--import', 'tsx'], serialization: 'advanced', stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
    let stdout = '';
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    // 'exit' can be handled before the last stdout chunk is read: the output is complete at 'end'.
    const stdoutEnded = new Promise<void>((resolve) => child.stdout!.once('end', resolve));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    let results: Record<string, unknown> | undefined;
    const batches: number[] = [];
    await new Promise<void>((resolve, reject) => {
      child.once('error', reject);
      void exited.then(() => reject(new Error(`child exited early: ${stdout}`)));
      child.on('message', (message: unknown) => {
        if (isCounterRequest(message)) {
          batches.push(message.calls.length);
          // One call is never answered: it must fail once the primary goes away.
          const calls = message.calls.filter((c) => c.args[0] !== 'never-answered');
          if (calls.length > 0) void answerCounterRequest(host, { ...message, calls }).then((reply) => child.send(reply));
          return;
        }
        const m = message as { results?: Record<string, unknown>; waiting?: boolean };
        if (m.results) results = m.results;
        if (m.waiting) resolve();
      });
    });
    child.disconnect();
    await exited;
    await stdoutEnded;

    // The same calls made directly on a fresh memory store.
    const direct = new MemoryCounterStore();
    const expected = {
      first: await direct.rateLimit('k', 2, 10_000, 1, t0),
      second: await direct.rateLimit('k', 2, 10_000, 1, t0 + 1_000),
      refused: await direct.rateLimit('k', 2, 10_000, 1, t0 + 2_000),
      peek: await direct.peekRateLimit('k', 2, 10_000, t0 + 2_000),
      unlimited: await direct.rateLimit('u', Infinity, 10_000, 3, t0),
      parallel: await Promise.all([1, 2, 3, 4].map(() => direct.rateLimit('p', 3, 60_000, 1, t0))),
      quota: await direct.quota('q', 10, 4, t0, Infinity, t0),
      added: 'nothing',
      quotaAfter: (await direct.addToQuota('q', 5, t0, Infinity), await direct.quota('q', 10, 1, t0, Infinity, t0)),
      released: 'nothing',
      afterRelease: (await direct.releaseRateLimit('k', 1, t0 + 1_000), await direct.rateLimit('k', 2, 10_000, 1, t0 + 2_000)),
      failing: { error: 'counter store unreachable' },
    };
    assert.deepEqual(results, expected);
    assert.equal((expected.refused as RateLimitResult).allowed, false);
    assert.equal(expected.afterRelease.allowed, true, 'the released call made room');
    assert.deepEqual(
      expected.parallel.map((r) => r.allowed),
      [true, true, true, false],
    );
    assert.equal((results!.quota as { resetInMs: number }).resetInMs, Infinity);
    // The four calls made in one turn travelled in one message.
    assert.ok(batches.includes(4), `batch sizes: ${batches.join(' ')}`);

    const gone = 'The counter store is unavailable: the primary process is gone.';
    assert.deepEqual(JSON.parse(stdout.trim()), { outcome: { error: gone }, afterwards: { error: gone } });
  });

  it('fails a batch whose send fails (the primary closing the channel) instead of crashing the worker', async () => {
    // The closing race of the test above, made certain: Node hands the send error to the callback.
    const channel = {
      send: (_message: unknown, callback: (error: Error | null) => void) => setImmediate(() => callback(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }))),
      on: () => channel,
    };
    const store = new ClusterCounterStore(channel as CounterChannel);
    await assert.rejects(store.rateLimit('k', 1, 1_000, 1, t0), { message: 'The counter store is unavailable: the primary process is gone.' });
  });
});
