/**
 * The external cache on Redis (Azure: "an external Redis-compatible cache"), shared by every
 * gateway pointed at it. Redis being slow or down never fails or holds up a request: commands
 * are not queued while disconnected and each waits at most `commandTimeoutMs`; a read that
 * cannot answer is a miss, a write or delete is dropped. Failures are counted (`onFailure`,
 * the gateway's `gatehouse_external_cache_failures_total`) and logged (at most once per
 * `logEveryMs`, so an outage does not flood the log).
 */
import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from '../core/logger.js';
import type { CacheStore } from '../core/ports.js';
import { redisOptionsFrom } from './redis-connection-string.js';

export interface RedisCacheOptions {
  /** Prefix of every key this store writes (several Gatehouse installs may share one Redis). */
  keyPrefix?: string;
  /** Longest a command may take before it counts as failed (default 250 ms). */
  commandTimeoutMs?: number;
  /** Longest a connection attempt may take (default 1 s). */
  connectTimeoutMs?: number;
  /** Least time between two log lines about failures (default 30 s). */
  logEveryMs?: number;
  /** Told of every failed command or connection attempt (the gateway counts them in a metric). */
  onFailure?: (operation: RedisCacheOperation) => void;
}

/** What failed: a connection attempt, or one of the store's commands. */
export type RedisCacheOperation = 'connection' | 'read' | 'write' | 'delete';

export class RedisCacheStore implements CacheStore {
  private readonly client: Redis;
  private readonly prefix: string;
  private readonly logEveryMs: number;
  private lastLogAt = -Infinity;
  private readonly onFailure: ((operation: RedisCacheOperation) => void) | undefined;
  /** Commands that failed or timed out since the store opened. */
  failures = 0;

  /** Opens a client for `connectionString` (a redis:// URL or StackExchange form); connects in the background. */
  constructor(
    connectionString: string,
    private readonly logger: Logger,
    options: RedisCacheOptions = {},
  ) {
    this.prefix = options.keyPrefix ?? 'gatehouse:cache:';
    this.logEveryMs = options.logEveryMs ?? 30_000;
    this.onFailure = options.onFailure;
    const clientOptions: RedisOptions = {
      ...redisOptionsFrom(connectionString),
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: options.commandTimeoutMs ?? 250,
      connectTimeout: options.connectTimeoutMs ?? 1000,
      // Reconnects forever, backing off to 2 s between attempts.
      retryStrategy: (times) => Math.min(times * 100, 2000),
    };
    this.client = new Redis(clientOptions);
    // Without a listener ioredis reports each failed connection attempt on stderr.
    this.client.on('error', (err: Error) => this.failed('connection', err));
  }

  async get(key: string): Promise<Buffer | undefined> {
    try {
      return (await this.client.getBuffer(this.prefix + key)) ?? undefined;
    } catch (err) {
      this.failed('read', err);
      return undefined;
    }
  }

  async set(key: string, value: Buffer, ttlMs: number): Promise<void> {
    if (!(ttlMs > 0)) return;
    try {
      await this.client.set(this.prefix + key, value, 'PX', Math.ceil(ttlMs));
    } catch (err) {
      this.failed('write', err);
    }
  }

  async delete(key: string): Promise<void> {
    try {
      await this.client.del(this.prefix + key);
    } catch (err) {
      this.failed('delete', err);
    }
  }

  /** True once connected: until then (and while disconnected) reads miss and writes are dropped. */
  get connected(): boolean {
    return this.client.status === 'ready';
  }

  /** Closes the connection; commands after this fail (and count as misses). */
  async close(): Promise<void> {
    this.client.disconnect();
  }

  private failed(what: RedisCacheOperation, err: unknown): void {
    this.failures++;
    this.onFailure?.(what);
    const now = Date.now();
    if (now - this.lastLogAt < this.logEveryMs) return;
    this.lastLogAt = now;
    this.logger.warn({ failures: this.failures, reason: (err as Error)?.message ?? String(err) }, `external cache (Redis) ${what} failed; lookups miss and stores are dropped until it answers`);
  }
}
