/**
 * `cache-lookup-value`: reads a value stored by cache-store-value into a context variable
 * (reference §3 Caching; docs/policies/cache-lookup-value.md). On a miss the variable gets
 * `default-value` when the attribute is given, and is left unset otherwise. Keys are the
 * service's own: two services sharing one Redis never read each other's values.
 */
import type { PolicyModule } from '../pipeline/policy-module.js';
import { traceValue } from '../pipeline/trace-recorder.js';
import { cacheFor, cachingTypeAttribute, readCachingType, serviceKeyPrefix } from './caching/caching-type.js';
import { decodeCachedValue } from './caching/cached-value.js';

export const cacheLookupValue: PolicyModule = {
  name: 'cache-lookup-value',
  sections: ['inbound', 'backend', 'outbound', 'on-error'],
  attributes: {
    key: { type: 'string', required: true, expression: true },
    'variable-name': { type: 'string', required: true },
    'default-value': { type: 'string', expression: true },
    'caching-type': cachingTypeAttribute,
  },
  compile(element, ctx) {
    const key = ctx.string(element, 'key')!;
    const variable = ctx.string(element, 'variable-name')!.constant!;
    if (variable.trim() === '') ctx.fail(element, "The 'variable-name' attribute must not be empty.");
    const fallback = ctx.value(element, 'default-value');
    const cachingType = readCachingType(element, ctx);
    return async (gw) => {
      const cache = cacheFor(gw, cachingType);
      const bytes = cache && (await cache.get(serviceKeyPrefix(gw, 'value') + key.get(gw)));
      const found = bytes && decodeCachedValue(bytes);
      if (found) gw.variables.set(variable, found.value);
      else if (fallback) gw.variables.set(variable, fallback.get(gw));
      if (gw.requestTrace) {
        gw.traceStep('cache-lookup-value', { message: found ? 'Cache lookup resulted in a hit.' : 'Cache lookup resulted in a miss.', 'variable-name': variable, value: traceValue(gw.variables.get(variable)) });
      }
    };
  },
};
