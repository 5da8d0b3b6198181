/**
 * `cache-store`: keeps the response for `duration` seconds under the key cache-lookup made
 * (reference §3 Caching; docs/policies/cache-store.md). Only a GET whose lookup missed is
 * stored, and only a `200 OK` unless `cache-response` is true. The body is buffered within the
 * gateway's limit; a response whose Content-Length is past it is sent on without being stored.
 * The store is not awaited: the client is not held up by a slow external cache.
 */
import { defaultMaxBufferedBodyBytes } from '../pipeline/message-body.js';
import { bufferWithinLimit } from '../pipeline/buffered-body.js';
import type { PolicyModule } from '../pipeline/policy-module.js';
import { cachedResponseOf, encodeCachedResponse } from './caching/cached-response.js';
import { responseCacheSlot } from './caching/response-cache-slot.js';

export const cacheStore: PolicyModule = {
  name: 'cache-store',
  sections: ['outbound'],
  oncePerSection: true,
  attributes: {
    duration: { type: 'integer', required: true, min: 0, expression: true },
    'cache-response': { type: 'boolean', default: false, expression: true },
  },
  compile(element, ctx) {
    const duration = ctx.integer(element, 'duration')!;
    const cacheResponse = ctx.boolean(element, 'cache-response')!;
    return async (gw) => {
      const state = gw.slot(responseCacheSlot);
      if (!state?.key || !state.cache || gw.request.method.toUpperCase() !== 'GET') return;
      if (gw.response.statusCode !== 200 && !cacheResponse.get(gw)) return;
      const seconds = duration.get(gw);
      if (!(seconds > 0)) return;
      const limit = gw.services.maxBufferedBodyBytes ?? defaultMaxBufferedBodyBytes;
      const declared = Number(gw.response.headers.get('Content-Length'));
      if (Number.isFinite(declared) && declared > limit) return;
      await bufferWithinLimit(gw, gw.response.body, 'response', 'cache-store');
      const body = gw.response.body.bufferedContent ?? Buffer.alloc(0);
      const expiresAt = gw.services.clock.now() + seconds * 1000;
      const entry = encodeCachedResponse(cachedResponseOf(gw.response, body, expiresAt));
      // Kept once: a second cache-store (another scope's) for the same request stores nothing.
      const { key, cache } = state;
      delete state.key;
      state.freshUntil = expiresAt;
      void cache.set(key, entry, seconds * 1000);
      if (gw.requestTrace) gw.traceStep('cache-store', { message: 'Response was stored in the cache.', duration: seconds, bytes: body.length });
    };
  },
};
