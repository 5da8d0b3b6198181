/**
 * Counters for rate limits and quotas in Redis (`gatehouse start --redis URL`): the CounterStore
 * port shared by every gateway, on any host, pointed at the same Redis and service. Each
 * operation is one Lua script (redis-counter-scripts.ts), so check and count are atomic across
 * gateways, with the in-memory store's semantics: the same bucketed sliding window, Retry-After,
 * releases and fixed-period quotas. Times are the caller's clock, as in the memory store.
 *
 * Redis being down or slow never holds a request: commands are not queued while disconnected
 * and each waits at most `commandTimeoutMs`; a call that cannot be answered rejects with
 * CounterStoreUnavailableError, which failover-counter-store.ts turns into local counting or a
 * refusal. The calls of one event-loop turn go to Redis as one script call (batchScript, at
 * most `maxCallsPerScript` calls each), run in the order they were made.
 */
import { Redis, type RedisOptions } from 'ioredis';
import { CounterStoreUnavailableError, type CounterStore, type QuotaResult, type RateLimitResult } from '../core/ports.js';
import { redisOptionsFrom } from './redis-connection-string.js';
import { batchScript } from './redis-counter-scripts.js';

export interface RedisCounterOptions {
  /** Prefix of every key (counterKeyPrefix: one per service, so two services never share a counter). */
  keyPrefix: string;
  /** Longest a call may take before it counts as failed (default 500 ms). */
  commandTimeoutMs?: number;
  /** Longest a connection attempt may take (default 1 s). */
  connectTimeoutMs?: number;
  /** Extra lifetime of every key past its last use, absorbing clock skew between hosts (default 60 s). */
  expiryGraceMs?: number;
}

/** The key prefix of a service's counters: `gatehouse:{service}:counters:`. */
export function counterKeyPrefix(serviceName: string): string {
  return `gatehouse:${serviceName}:counters:`;
}

type ScriptReply = [number, string, string];

/** Calls sent in one script at most: a flood in one turn becomes several scripts, none long. */
export const maxCallsPerScript = 256;

/** The batch script as a client command (ioredis defineCommand: EVALSHA, loading the script on NOSCRIPT). */
interface CounterCommands {
  gatehouseBatch(keyCount: number, ...keysThenArgs: string[]): Promise<unknown[]>;
}

type Operation = 'rl' | 'rel' | 'q';

interface QueuedCall {
  operation: Operation;
  key: string;
  args: string[];
  resolve(reply: unknown): void;
  reject(err: Error): void;
}

export class RedisCounterStore implements CounterStore {
  private readonly client: Redis & CounterCommands;
  private readonly prefix: string;
  private readonly graceMs: string;
  /** Calls made in this turn, sent when it ends. */
  private queued: QueuedCall[] = [];

  /** Opens a client for `connectionString` (a redis:// URL or StackExchange form); connects in the background. */
  constructor(connectionString: string, options: RedisCounterOptions) {
    this.prefix = options.keyPrefix;
    this.graceMs = numbers(options.expiryGraceMs ?? 60_000)[0]!;
    const clientOptions: RedisOptions = {
      ...redisOptionsFrom(connectionString),
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: options.commandTimeoutMs ?? 500,
      connectTimeout: options.connectTimeoutMs ?? 1000,
      // Reconnects forever, backing off to 1 s between attempts.
      retryStrategy: (times) => Math.min(times * 100, 1000),
    };
    const client = new Redis(clientOptions);
    client.defineCommand('gatehouseBatch', { lua: batchScript });
    this.client = client as Redis & CounterCommands;
    // Failed connection attempts reach the caller as failed calls; without a listener ioredis prints them.
    this.client.on('error', () => undefined);
  }

  async rateLimit(key: string, limit: number, windowMs: number, increment: number, nowMs: number): Promise<RateLimitResult> {
    const args = [...numbers(limit, windowMs, increment, nowMs), this.graceMs, 'count'];
    return rateLimitResult(await this.call('rl', this.prefix + 'rl:' + key, args));
  }

  async peekRateLimit(key: string, limit: number, windowMs: number, nowMs: number): Promise<RateLimitResult> {
    const args = [...numbers(limit, windowMs, 0, nowMs), this.graceMs, 'peek'];
    return rateLimitResult(await this.call('rl', this.prefix + 'rl:' + key, args));
  }

  async releaseRateLimit(key: string, amount: number, countedAtMs: number): Promise<void> {
    const args = numbers(amount, countedAtMs);
    await this.call('rel', this.prefix + 'rl:' + key, args);
  }

  async quota(key: string, limit: number, amount: number, periodStartMs: number, periodEndMs: number, nowMs: number): Promise<QuotaResult> {
    const args = [...numbers(limit, amount, periodStartMs, periodEndMs, nowMs), this.graceMs, 'quota'];
    const reply = await this.call('q', this.prefix + 'q:' + key, args);
    if (!isScriptReply(reply)) throw new CounterStoreUnavailableError('Redis gave an unexpected answer to a quota call.');
    return { allowed: reply[0] === 1, remaining: parsed(reply[1]), resetInMs: parsed(reply[2]) };
  }

  async addToQuota(key: string, amount: number, periodStartMs: number, periodEndMs: number): Promise<void> {
    const args = [...numbers(0, amount, periodStartMs, periodEndMs, 0), this.graceMs, 'add'];
    await this.call('q', this.prefix + 'q:' + key, args);
  }

  /** True while connected: calls made otherwise fail at once. */
  get connected(): boolean {
    return this.client.status === 'ready';
  }

  /** Resolves true once connected, or false after `timeoutMs`. */
  whenConnected(timeoutMs: number): Promise<boolean> {
    if (this.connected) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (ok: boolean): void => {
        clearTimeout(timer);
        this.client.off('ready', onReady);
        resolve(ok);
      };
      const onReady = (): void => done(true);
      const timer = setTimeout(() => done(false), timeoutMs);
      this.client.on('ready', onReady);
    });
  }

  /** Closes the connection; calls after this fail. */
  async close(): Promise<void> {
    this.client.disconnect();
  }

  /** Queues one call for the end of this turn; its reply, or CounterStoreUnavailableError. */
  private call(operation: Operation, key: string, args: string[]): Promise<unknown> {
    return new Promise((resolve, reject) => {
      if (this.queued.length === 0) setImmediate(() => this.flush());
      this.queued.push({ operation, key, args, resolve, reject });
    });
  }

  /** Sends the turn's calls, `maxCallsPerScript` per script; any failure (refused, timed out, closed) fails that script's calls. */
  private flush(): void {
    const calls = this.queued;
    this.queued = [];
    for (let from = 0; from < calls.length; from += maxCallsPerScript) void this.send(calls.slice(from, from + maxCallsPerScript));
  }

  private async send(calls: QueuedCall[]): Promise<void> {
    const keys: string[] = [];
    const args: string[] = [];
    for (const c of calls) {
      keys.push(c.key);
      args.push(c.operation, String(c.args.length), ...c.args);
    }
    let replies: unknown[];
    try {
      replies = await this.client.gatehouseBatch(keys.length, ...keys, ...args);
    } catch (err) {
      const failure = unavailable((err as Error)?.message ?? String(err));
      for (const c of calls) c.reject(failure);
      return;
    }
    calls.forEach((c, i) => {
      const reply = Array.isArray(replies) ? replies[i] : undefined;
      if (reply === undefined) c.reject(new CounterStoreUnavailableError('Redis gave an unexpected answer to a counter call.'));
      else if (Array.isArray(reply) && reply[0] === 'error') c.reject(unavailable(String(reply[1])));
      else c.resolve(reply);
    });
  }
}

function unavailable(reason: string): CounterStoreUnavailableError {
  return new CounterStoreUnavailableError(`The Redis counters did not answer: ${reason}`);
}

function isScriptReply(reply: unknown): reply is ScriptReply {
  return Array.isArray(reply) && reply.length === 3;
}

/** Numbers as the scripts read them: exact, `inf` for Infinity. NaN is no count: refused before it reaches Redis. */
function numbers(...values: number[]): string[] {
  return values.map((value) => {
    if (value === Infinity) return 'inf';
    if (value === -Infinity) return '-inf';
    if (Number.isNaN(value)) throw new TypeError('A counter call was given NaN.');
    return String(value);
  });
}

function parsed(text: string): number {
  if (text === 'inf') return Infinity;
  if (text === '-inf') return -Infinity;
  return Number(text);
}

function rateLimitResult(reply: unknown): RateLimitResult {
  if (!isScriptReply(reply)) throw new CounterStoreUnavailableError('Redis gave an unexpected answer to a rate-limit call.');
  return { allowed: reply[0] === 1, remaining: parsed(reply[1]), retryAfterMs: parsed(reply[2]) };
}
