/**
 * One logger's channel against sinks written here to fail on cue (the real brokers are in
 * broker-sinks.test.ts): batching as `isBuffered` says, reconnecting after failures with a
 * growing pause, counting what fails, and closing within its deadline even when the sink hangs.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger } from '../../../src/core/logger.js';
import type { EventSink } from '../../../src/gateway/event-logging/event-sink.js';
import { LoggerBuffer } from '../../../src/gateway/event-logging/logger-buffer.js';
import { LoggerChannel, type ChannelOptions } from '../../../src/gateway/event-logging/logger-channel.js';
import type { DropReason, LoggerCounts } from '../../../src/gateway/event-logging/logger-metrics.js';
import type { EventMessage } from '../../../src/pipeline/event-logging.js';
import { eventually } from '../../helpers/test-brokers.js';

const log = createLogger('silent');

/** Counts kept in memory. */
function tally(): LoggerCounts & { sentTotal: number; drops: Partial<Record<DropReason, number>> } {
  const t = {
    sentTotal: 0,
    drops: {} as Partial<Record<DropReason, number>>,
    sent: (_l: string, n: number) => void (t.sentTotal += n),
    dropped: (_l: string, reason: DropReason, n: number) => void (t.drops[reason] = (t.drops[reason] ?? 0) + n),
  };
  return t;
}

/** A sink whose opens fail `failOpens` times, whose sends fail while `failSends` is set, and which may hang. */
class ScriptedSink implements EventSink {
  broken = false;
  constructor(private readonly script: { opens: number; failOpens: number; failSends?: boolean; hang?: boolean; batches: string[][] }) {}
  async open(): Promise<void> {
    this.script.opens++;
    if (this.script.opens <= this.script.failOpens) throw new Error('refused');
  }
  async send(messages: readonly EventMessage[], signal: AbortSignal): Promise<void> {
    if (this.script.hang) await new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason as Error)));
    if (this.script.failSends) throw new Error('lost');
    this.script.batches.push(messages.map((m) => m.body));
  }
  async close(): Promise<void> {
    this.broken = true;
  }
}

function channel(script: ConstructorParameters<typeof ScriptedSink>[0], counts: LoggerCounts, options: ChannelOptions): LoggerChannel {
  return new LoggerChannel('l', 'test', () => new ScriptedSink(script), counts, log, options);
}

describe('logger buffer', () => {
  it('holds at most its message count and bytes, and hands them out in order within a batch bound', () => {
    const buffer = new LoggerBuffer({ maxMessages: 3, maxBytes: 10 });
    assert.equal(buffer.push({ body: 'aaaa' }), true);
    assert.equal(buffer.push({ body: 'bbbb' }), true);
    assert.equal(buffer.push({ body: 'ccc' }), false, 'over the byte bound');
    assert.equal(buffer.push({ body: 'cc' }), true);
    assert.equal(buffer.push({ body: '' }), false, 'over the count bound');
    assert.equal(buffer.bytes, 10);
    assert.deepEqual(buffer.take(5, 8).map((m) => m.body), ['aaaa', 'bbbb']);
    assert.deepEqual(buffer.take(5, 1).map((m) => m.body), ['cc'], 'one message at least, whatever its size');
    assert.equal(buffer.length, 0);
    assert.equal(buffer.bytes, 0);
  });
});

describe('logger channel', () => {
  it('isBuffered false sends each message on its own; true sends what gathered as one batch', async () => {
    const one = { opens: 0, failOpens: 0, batches: [] as string[][] };
    const unbuffered = channel(one, tally(), { buffered: false });
    for (const body of ['a', 'b', 'c']) unbuffered.enqueue({ body });
    await eventually('three sends', () => one.batches.length === 3);
    assert.deepEqual(one.batches, [['a'], ['b'], ['c']]);

    const many = { opens: 0, failOpens: 0, batches: [] as string[][] };
    const buffered = channel(many, tally(), { buffered: true, lingerMs: 30 });
    for (const body of ['a', 'b', 'c']) buffered.enqueue({ body });
    await eventually('one send', () => many.batches.length === 1);
    assert.deepEqual(many.batches, [['a', 'b', 'c']]);
    await unbuffered.close();
    await buffered.close();
  });

  it('keeps messages while the sink cannot be reached and sends them once it can, after growing pauses', async () => {
    const script = { opens: 0, failOpens: 3, batches: [] as string[][] };
    const counts = tally();
    const c = channel(script, counts, { buffered: true, lingerMs: 0, backoffMs: { initial: 20, max: 1000 } });
    const started = Date.now();
    c.enqueue({ body: 'kept' });
    await eventually('the send after reconnecting', () => script.batches.length === 1);
    // Pauses of 20, 40 and 80 ms came between the four attempts.
    assert.ok(Date.now() - started >= 140, `reconnected after ${Date.now() - started} ms`);
    assert.equal(script.opens, 4);
    assert.equal(counts.sentTotal, 1);
    await c.close();
  });

  it('counts a batch the sink lost as send_failed and opens a new sink for the next', async () => {
    const script = { opens: 0, failOpens: 0, failSends: true, batches: [] as string[][] };
    const counts = tally();
    const c = channel(script, counts, { buffered: false, backoffMs: { initial: 10, max: 10 } });
    c.enqueue({ body: 'lost' });
    await eventually('the failure counted', () => counts.drops.send_failed === 1);
    script.failSends = false;
    c.enqueue({ body: 'sent' });
    await eventually('the next send', () => script.batches.length === 1);
    assert.deepEqual(script.batches, [['sent']]);
    assert.equal(script.opens, 2);
    await c.close();
  });

  it('closing sends what waits, then refuses; a hanging sink is given up at the close deadline', async () => {
    const script = { opens: 0, failOpens: 0, batches: [] as string[][] };
    const counts = tally();
    const c = channel(script, counts, { buffered: true, lingerMs: 10 });
    c.enqueue({ body: 'first' });
    await eventually('the sink to open', () => script.batches.length === 1);
    c.enqueue({ body: 'waiting' });
    await c.close();
    assert.deepEqual(script.batches, [['first'], ['waiting']]);
    assert.equal(c.enqueue({ body: 'after' }), 'dropped');
    assert.equal(counts.drops.closed, 1);

    const stuck = { opens: 0, failOpens: 0, hang: true, batches: [] as string[][] };
    const hung = tally();
    const h = channel(stuck, hung, { buffered: false, closeDeadlineMs: 100, sendTimeoutMs: 60_000 });
    h.enqueue({ body: 'a' });
    h.enqueue({ body: 'b' });
    await eventually('the first send to start', () => stuck.opens === 1);
    const closing = Date.now();
    await h.close();
    assert.ok(Date.now() - closing < 1000, 'close waited on the hanging sink');
    assert.equal(hung.drops.send_failed, 1);
    assert.equal(hung.drops.closed, 1);
  });
});
