/**
 * Picks and opens the external cache the caching policies' `prefer-external` and `external`
 * use (docs/caching.md): the `caches` entity whose `useFromLocation` is `default`, else the
 * `--redis` URL, else none. Follows each configuration reload: a changed connection string
 * closes the old client and opens a new one; requests in flight finish on the old one.
 */
import type { Logger } from '../core/logger.js';
import type { CacheStore, GatewayCaches } from '../core/ports.js';
import type { ExternalCache } from '../model/resources.js';
import { MemoryCacheStore } from '../store/memory-cache-store.js';
import { RedisCacheStore } from '../store/redis-cache-store.js';

/** The `caches` entity Gatehouse's gateway uses: one has no region, so only `default` applies. */
export function chosenExternalCache(caches: readonly ExternalCache[] | undefined): ExternalCache | undefined {
  return caches?.find((c) => c.useFromLocation.trim().toLowerCase() === 'default');
}

/** A gateway process's caches: the built-in one, and the external one the configuration names. */
export class GatewayCacheSet implements GatewayCaches {
  readonly internal = new MemoryCacheStore();
  private current: { connectionString: string; store: RedisCacheStore } | undefined;

  constructor(
    /** `--redis`: the external cache when no `caches` entity applies. */
    private readonly redisUrl: string | undefined,
    private readonly logger: Logger,
  ) {}

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
        this.current = { connectionString, store: new RedisCacheStore(connectionString, this.logger) };
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
