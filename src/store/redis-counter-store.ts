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
 * refusal. Calls of one event-loop turn share one round trip (ioredis auto-pipelining).
 */
import { Redis, type RedisOptions } from 'ioredis';
import { CounterStoreUnavailableError, type CounterStore, type QuotaResult, type RateLimitResult } from '../core/ports.js';
import { redisOptionsFrom } from './redis-connection-string.js';
import { quotaScript, rateLimitScript, releaseScript } from './redis-counter-scripts.js';

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

/** The scripts as client commands (ioredis defineCommand: EVALSHA, loading the script on NOSCRIPT). */
interface CounterCommands {
  gatehouseRateLimit(key: string, ...args: string[]): Promise<ScriptReply>;
  gatehouseRelease(key: string, ...args: string[]): Promise<number>;
  gatehouseQuota(key: string, ...args: string[]): Promise<ScriptReply | number>;
}

export class RedisCounterStore implements CounterStore {
  private readonly client: Redis & CounterCommands;
  private readonly prefix: string;
  private readonly graceMs: string;

  /** Opens a client for `connectionString` (a redis:// URL or StackExchange form); connects in the background. */
  constructor(connectionString: string, options: RedisCounterOptions) {
    this.prefix = options.keyPrefix;
    this.graceMs = numbers(options.expiryGraceMs ?? 60_000)[0]!;
    const clientOptions: RedisOptions = {
      ...redisOptionsFrom(connectionString),
      enableOfflineQueue: false,
      enableAutoPipelining: true,
      maxRetriesPerRequest: 0,
      commandTimeout: options.commandTimeoutMs ?? 500,
      connectTimeout: options.connectTimeoutMs ?? 1000,
      // Reconnects forever, backing off to 1 s between attempts.
      retryStrategy: (times) => Math.min(times * 100, 1000),
    };
    const client = new Redis(clientOptions);
    client.defineCommand('gatehouseRateLimit', { numberOfKeys: 1, lua: rateLimitScript });
    client.defineCommand('gatehouseRelease', { numberOfKeys: 1, lua: releaseScript });
    client.defineCommand('gatehouseQuota', { numberOfKeys: 1, lua: quotaScript });
    this.client = client as Redis & CounterCommands;
    // Failed connection attempts reach the caller as failed calls; without a listener ioredis prints them.
    this.client.on('error', () => undefined);
  }

  async rateLimit(key: string, limit: number, windowMs: number, increment: number, nowMs: number): Promise<RateLimitResult> {
    const args = [...numbers(limit, windowMs, increment, nowMs), this.graceMs, 'count'];
    return rateLimitResult(await this.run(() => this.client.gatehouseRateLimit(this.prefix + 'rl:' + key, ...args)));
  }

  async peekRateLimit(key: string, limit: number, windowMs: number, nowMs: number): Promise<RateLimitResult> {
    const args = [...numbers(limit, windowMs, 0, nowMs), this.graceMs, 'peek'];
    return rateLimitResult(await this.run(() => this.client.gatehouseRateLimit(this.prefix + 'rl:' + key, ...args)));
  }

  async releaseRateLimit(key: string, amount: number, countedAtMs: number): Promise<void> {
    const args = numbers(amount, countedAtMs);
    await this.run(() => this.client.gatehouseRelease(this.prefix + 'rl:' + key, ...args));
  }

  async quota(key: string, limit: number, amount: number, periodStartMs: number, periodEndMs: number, nowMs: number): Promise<QuotaResult> {
    const args = [...numbers(limit, amount, periodStartMs, periodEndMs, nowMs), this.graceMs, 'quota'];
    const reply = await this.run(() => this.client.gatehouseQuota(this.prefix + 'q:' + key, ...args));
    if (!Array.isArray(reply)) throw new CounterStoreUnavailableError('Redis gave an unexpected answer to a quota call.');
    return { allowed: reply[0] === 1, remaining: parsed(reply[1]), resetInMs: parsed(reply[2]) };
  }

  async addToQuota(key: string, amount: number, periodStartMs: number, periodEndMs: number): Promise<void> {
    const args = [...numbers(0, amount, periodStartMs, periodEndMs, 0), this.graceMs, 'add'];
    await this.run(() => this.client.gatehouseQuota(this.prefix + 'q:' + key, ...args));
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

  /** Runs one script; any failure (refused, timed out, closed, an error reply) means the counters cannot answer. */
  private async run<T>(command: () => Promise<T>): Promise<T> {
    try {
      return await command();
    } catch (err) {
      throw new CounterStoreUnavailableError(`The Redis counters did not answer: ${(err as Error)?.message ?? String(err)}`);
    }
  }
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

function rateLimitResult(reply: ScriptReply): RateLimitResult {
  if (!Array.isArray(reply)) throw new CounterStoreUnavailableError('Redis gave an unexpected answer to a rate-limit call.');
  return { allowed: reply[0] === 1, remaining: parsed(reply[1]), retryAfterMs: parsed(reply[2]) };
}
