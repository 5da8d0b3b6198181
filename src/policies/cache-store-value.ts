/**
 * `cache-store-value`: keeps a value under a key for `duration` seconds (reference §3 Caching;
 * docs/policies/cache-store-value.md). As in Azure the store is asynchronous: the request does
 * not wait for it (a lookup later in the same gateway sees it, since each cache applies its
 * commands in order).
 */
import type { PolicyModule } from '../pipeline/policy-module.js';
import { cacheFor, cachingTypeAttribute, readCachingType, serviceKeyPrefix } from './caching/caching-type.js';
import { encodeCachedValue } from './caching/cached-value.js';

export const cacheStoreValue: PolicyModule = {
  name: 'cache-store-value',
  sections: ['inbound', 'backend', 'outbound', 'on-error'],
  attributes: {
    key: { type: 'string', required: true, expression: true },
    value: { type: 'string', required: true, expression: true },
    duration: { type: 'integer', required: true, min: 0, expression: true },
    'caching-type': cachingTypeAttribute,
  },
  compile(element, ctx) {
    const key = ctx.string(element, 'key')!;
    const value = ctx.value(element, 'value')!;
    const duration = ctx.integer(element, 'duration')!;
    const cachingType = readCachingType(element, ctx);
    return (gw) => {
      const seconds = duration.get(gw);
      const cache = cacheFor(gw, cachingType);
      if (!cache || !(seconds > 0)) return;
      const cacheKey = key.get(gw);
      void cache.set(serviceKeyPrefix(gw, 'value') + cacheKey, encodeCachedValue(value.get(gw)), seconds * 1000);
      if (gw.requestTrace) gw.traceStep('cache-store-value', { message: 'Value was stored in the cache.', key: cacheKey, duration: seconds });
    };
  },
};
