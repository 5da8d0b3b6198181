/**
 * The counters of a gateway worker (`gatehouse start --workers N`): every call is forwarded over
 * the cluster IPC channel to the primary process, which holds the one in-memory store of the
 * host. Calls are answered in the order the primary receives them, so a limit of N calls lets
 * exactly N through whichever workers the calls arrive on. The calls of one event-loop turn
 * travel in one message, so under load many requests share one IPC round trip.
 */
import type { CounterStore, QuotaResult, RateLimitResult } from '../core/ports.js';
import { isCounterReply, type CounterCall, type CounterOperation, type CounterReplyMessage, type CounterRequestMessage } from './counter-messages.js';

/** The IPC endpoint to the primary (a cluster worker's `process`). */
export interface CounterChannel {
  /** `callback` receives a failed send (the channel closing) instead of an 'error' event on the process. */
  send(message: CounterRequestMessage, callback: (error: Error | null) => void): unknown;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  on(event: 'disconnect', listener: () => void): unknown;
}

interface Pending {
  resolve(value: unknown): void;
  reject(err: Error): void;
}

export class ClusterCounterStore implements CounterStore {
  private readonly pending = new Map<number, Pending>();
  /** Calls made during this turn of the event loop, sent together when it ends. */
  private queued: CounterCall[] = [];
  private readonly flush = (): void => {
    const calls = this.queued;
    this.queued = [];
    if (this.disconnected) return;
    // The primary may go away while a batch is on its way (EPIPE before 'disconnect' arrives):
    // those calls fail the way every call fails once it is gone, and the worker keeps running.
    this.channel.send({ gatehouse: 'counters', calls }, (error) => {
      if (error) this.rejectPending(calls.map((c) => c.id));
    });
  };
  private nextId = 1;
  private disconnected = false;

  constructor(private readonly channel: CounterChannel) {
    channel.on('message', (message) => {
      if (isCounterReply(message)) this.settle(message);
    });
    channel.on('disconnect', () => {
      this.disconnected = true;
      this.rejectPending([...this.pending.keys()]);
    });
  }

  rateLimit(key: string, limit: number, windowMs: number, increment: number, nowMs: number): Promise<RateLimitResult> {
    return this.call('rateLimit', [key, limit, windowMs, increment, nowMs]) as Promise<RateLimitResult>;
  }

  peekRateLimit(key: string, limit: number, windowMs: number, nowMs: number): Promise<RateLimitResult> {
    return this.call('peekRateLimit', [key, limit, windowMs, nowMs]) as Promise<RateLimitResult>;
  }

  async releaseRateLimit(key: string, amount: number, countedAtMs: number): Promise<void> {
    await this.call('releaseRateLimit', [key, amount, countedAtMs]);
  }

  quota(key: string, limit: number, amount: number, periodStartMs: number, periodEndMs: number, nowMs: number): Promise<QuotaResult> {
    return this.call('quota', [key, limit, amount, periodStartMs, periodEndMs, nowMs]) as Promise<QuotaResult>;
  }

  async addToQuota(key: string, amount: number, periodStartMs: number, periodEndMs: number): Promise<void> {
    await this.call('addToQuota', [key, amount, periodStartMs, periodEndMs]);
  }

  private call(op: CounterOperation, args: Array<string | number>): Promise<unknown> {
    if (this.disconnected) return Promise.reject(primaryGone());
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      // setImmediate runs after the poll phase: every request read in this turn joins the batch.
      if (this.queued.length === 0) setImmediate(this.flush);
      this.queued.push({ id, op, args });
    });
  }

  /** Fails the given calls (those still waiting) with the primary-gone error. */
  private rejectPending(ids: readonly number[]): void {
    for (const id of ids) {
      const pending = this.pending.get(id);
      if (!pending) continue;
      this.pending.delete(id);
      pending.reject(primaryGone());
    }
  }

  private settle(message: CounterReplyMessage): void {
    for (const reply of message.replies) {
      const pending = this.pending.get(reply.id);
      if (!pending) continue;
      this.pending.delete(reply.id);
      if (reply.error !== undefined) pending.reject(new Error(reply.error));
      else pending.resolve(reply.result);
    }
  }
}

function primaryGone(): Error {
  return new Error('The counter store is unavailable: the primary process is gone.');
}
