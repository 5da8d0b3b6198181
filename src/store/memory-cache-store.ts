/**
 * The built-in cache: in this process's memory, bounded by bytes, least recently used entries
 * evicted first, each entry gone once its time to live ends (Azure: "the built-in cache is
 * volatile"). The embedded implementation of the CacheStore port.
 */
import type { CacheStore, Clock, GatewayCaches } from '../core/ports.js';
import { systemClock } from '../core/ports.js';

interface Entry {
  value: Buffer;
  expiresAt: number;
  size: number;
}

/** What one entry costs beyond its key and value bytes (the map slot, the entry object). */
const entryOverheadBytes = 64;

/** The default bound of the built-in cache: 32 MiB per gateway process. */
export const defaultInternalCacheBytes = 32 * 1024 * 1024;

export class MemoryCacheStore implements CacheStore {
  /** Insertion order is recency order: a read moves its entry to the end. */
  private readonly entries = new Map<string, Entry>();
  private used = 0;

  constructor(
    readonly capacityBytes: number = defaultInternalCacheBytes,
    private readonly clock: Clock = systemClock,
  ) {}

  /** Bytes held now (keys, values and per-entry overhead). */
  get usedBytes(): number {
    return this.used;
  }

  /** Entries held now, expired ones not yet swept included. */
  get size(): number {
    return this.entries.size;
  }

  async get(key: string): Promise<Buffer | undefined> {
    return this.getSync(key);
  }

  /** The synchronous form of `get`: nothing here waits. */
  getSync(key: string): Buffer | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.clock.now()) {
      this.remove(key, entry);
      return undefined;
    }
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  async set(key: string, value: Buffer, ttlMs: number): Promise<void> {
    this.setSync(key, value, ttlMs);
  }

  /** The synchronous form of `set`. An entry larger than the whole cache is not kept. */
  setSync(key: string, value: Buffer, ttlMs: number): void {
    const previous = this.entries.get(key);
    if (previous) this.remove(key, previous);
    const size = Buffer.byteLength(key) + value.length + entryOverheadBytes;
    if (!(ttlMs > 0) || size > this.capacityBytes) return;
    // The caller may reuse its buffer; the cache keeps its own bytes.
    this.entries.set(key, { value: Buffer.from(value), expiresAt: this.clock.now() + ttlMs, size });
    this.used += size;
    this.evict();
  }

  async delete(key: string): Promise<void> {
    const entry = this.entries.get(key);
    if (entry) this.remove(key, entry);
  }

  /** Drops the least recently used entries until the bound holds (expired ones go when read or reached). */
  private evict(): void {
    for (const [key, entry] of this.entries) {
      if (this.used <= this.capacityBytes) break;
      this.remove(key, entry);
    }
  }

  private remove(key: string, entry: Entry): void {
    this.entries.delete(key);
    this.used -= entry.size;
  }
}

/** Caches with a built-in cache and no external one (tests, benches, a gateway without Redis). */
export function builtInCachesOnly(internal: CacheStore = new MemoryCacheStore()): GatewayCaches {
  return { internal, external: () => undefined };
}
