/**
 * Picks and opens the external cache the caching policies' `prefer-external` and `external`
 * use (docs/caching.md): the `caches` entity whose `useFromLocation` is `default`, else the
 * `--redis` URL, else none. Follows each configuration reload: a changed connection string
 * closes the old client and opens a new one; requests in flight finish on the old one.
 */
import { Counter, type Registry } from 'prom-client';
import type { Logger } from '../core/logger.js';
import type { CacheStore, GatewayCaches } from '../core/ports.js';
import type { ExternalCache } from '../model/resources.js';
import { MemoryCacheStore } from '../store/memory-cache-store.js';
import { RedisCacheStore, type RedisCacheOperation } from '../store/redis-cache-store.js';

/** The `caches` entity Gatehouse's gateway uses: one has no region, so only `default` applies. */
export function chosenExternalCache(caches: readonly ExternalCache[] | undefined): ExternalCache | undefined {
  return caches?.find((c) => c.useFromLocation.trim().toLowerCase() === 'default');
}

/** A gateway process's caches: the built-in one, and the external one the configuration names. */
export class GatewayCacheSet implements GatewayCaches {
  readonly internal = new MemoryCacheStore();
  private current: { connectionString: string; store: RedisCacheStore } | undefined;
  /** Counts the external cache's failures on the gateway's `/metrics`, when it keeps metrics. */
  private readonly failureCounter: Counter<'operation'> | undefined;

  constructor(
    /** `--redis`: the external cache when no `caches` entity applies. */
    private readonly redisUrl: string | undefined,
    private readonly logger: Logger,
    metricsRegistry?: Registry,
  ) {
    if (metricsRegistry) {
      this.failureCounter = new Counter({
        name: 'gatehouse_external_cache_failures_total',
        help: 'Failures of the external (Redis) cache: connection attempts, and reads (served as misses), writes and deletes (dropped).',
        labelNames: ['operation'],
        registers: [metricsRegistry],
      });
    }
  }

  external(): CacheStore | undefined {
    return this.current?.store;
  }

  /** Follows a configuration's `caches`. */
  update(caches: readonly ExternalCache[] | undefined): void {
    const chosen = chosenExternalCache(caches);
    const connectionString = chosen?.connectionString ?? this.redisUrl;
    if (connectionString === this.current?.connectionString) return;
    const previous = this.current;
    this.current = undefined;
    if (connectionString !== undefined) {
      try {
        const onFailure = this.failureCounter ? (operation: RedisCacheOperation) => this.failureCounter!.inc({ operation }) : undefined;
        this.current = { connectionString, store: new RedisCacheStore(connectionString, this.logger, { onFailure }) };
      } catch (err) {
        // A connection string that does not parse: no external cache, said once per change.
        const source = chosen ? `the cache '${chosen.name}'` : '--redis';
        this.logger.error({ reason: (err as Error).message }, `the external cache of ${source} cannot be used; caching policies use the built-in cache (prefer-external) or none (external)`);
      }
    }
    void previous?.store.close();
  }

  async close(): Promise<void> {
    await this.current?.store.close();
    this.current = undefined;
  }
}
