/**
 * What cache-lookup leaves for cache-store and for the response's `Cache-Control`: where a
 * missed response may be stored, and whether the response the client gets came from the cache
 * or went into it (only those get a downstream `Cache-Control`, docs/policies/cache-lookup.md).
 */
import type { CacheStore } from '../../core/ports.js';
import { RequestSlot } from '../../pipeline/request-slot.js';

export type DownstreamCachingType = 'none' | 'private' | 'public';

export interface ResponseCacheState {
  /** The key and cache a missed lookup leaves for cache-store; absent after a hit. */
  key?: string;
  cache?: CacheStore;
  downstream: DownstreamCachingType;
  mustRevalidate: boolean;
  /** When the response the client gets stops being fresh: set on a hit and when cache-store kept it. */
  freshUntil?: number;
}

export const responseCacheSlot = new RequestSlot<ResponseCacheState>('response-cache');

/** The `Cache-Control` value a cached response is sent with at `now`. */
export function downstreamCacheControl(state: ResponseCacheState, now: number): string {
  if (state.downstream === 'none') return 'no-store';
  const maxAge = Math.max(0, Math.floor(((state.freshUntil ?? now) - now) / 1000));
  return `${state.downstream}, max-age=${maxAge}${state.mustRevalidate ? ', must-revalidate' : ''}`;
}
