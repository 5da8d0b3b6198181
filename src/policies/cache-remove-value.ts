/**
 * `cache-remove-value`: removes the value stored under a key (reference §3 Caching;
 * docs/policies/cache-remove-value.md). Awaited, so a lookup after it in the same request misses.
 */
import type { PolicyModule } from '../pipeline/policy-module.js';
import { cacheFor, cachingTypeAttribute, readCachingType, serviceKeyPrefix } from './caching/caching-type.js';

export const cacheRemoveValue: PolicyModule = {
  name: 'cache-remove-value',
  sections: ['inbound', 'backend', 'outbound', 'on-error'],
  attributes: {
    key: { type: 'string', required: true, expression: true },
    'caching-type': cachingTypeAttribute,
  },
  compile(element, ctx) {
    const key = ctx.string(element, 'key')!;
    const cachingType = readCachingType(element, ctx);
    return async (gw) => {
      const cacheKey = key.get(gw);
      await cacheFor(gw, cachingType)?.delete(serviceKeyPrefix(gw, 'value') + cacheKey);
      if (gw.requestTrace) gw.traceStep('cache-remove-value', { message: 'Value was removed from the cache.', key: cacheKey });
    };
  },
};
