/**
 * `cache-lookup`: answers a GET from the response cache when an entry for its key is fresh,
 * cancelling the rest of the pipeline; on a miss it leaves the key for cache-store (reference
 * §3 Caching; docs/policies/cache-lookup.md). Requests with an `Authorization` header are
 * neither looked up nor stored unless `allow-private-response-caching` is true. A cache that
 * cannot answer (Redis down) is a miss.
 */
import type { PolicyModule } from '../pipeline/policy-module.js';
import type { Value } from '../pipeline/value.js';
import { childElements } from '../pipeline/xml.js';
import { cacheFor, cachingTypeAttribute, readCachingType } from './caching/caching-type.js';
import { decodeCachedResponse, responseFromCache } from './caching/cached-response.js';
import { responseCacheKey, type VaryBy } from './caching/response-cache-key.js';
import { downstreamCacheControl, responseCacheSlot, type DownstreamCachingType, type ResponseCacheState } from './caching/response-cache-slot.js';

export const cacheLookup: PolicyModule = {
  name: 'cache-lookup',
  sections: ['inbound'],
  oncePerSection: true,
  attributes: {
    'vary-by-developer': { type: 'boolean', required: true, expression: true },
    'vary-by-developer-groups': { type: 'boolean', required: true, expression: true },
    'caching-type': cachingTypeAttribute,
    'downstream-caching-type': { type: 'enum', default: 'none', values: ['none', 'private', 'public'], expression: true },
    'must-revalidate': { type: 'boolean', default: true, expression: true },
    'allow-private-response-caching': { type: 'boolean', default: false, expression: true },
  },
  compile(element, ctx) {
    const varyByDeveloper = ctx.boolean(element, 'vary-by-developer')!;
    const varyByGroups = ctx.boolean(element, 'vary-by-developer-groups')!;
    const cachingType = readCachingType(element, ctx);
    const downstream = ctx.string(element, 'downstream-caching-type')!;
    const mustRevalidate = ctx.boolean(element, 'must-revalidate')!;
    const allowPrivate = ctx.boolean(element, 'allow-private-response-caching')!;
    const headers: Value<string>[] = [];
    const queryParameters: Value<string>[] = [];
    for (const child of childElements(element)) {
      if (child.name !== 'vary-by-header' && child.name !== 'vary-by-query-parameter') {
        ctx.fail(child, `The element '${child.name}' is not allowed in 'cache-lookup'; expected 'vary-by-header' or 'vary-by-query-parameter'.`);
      }
      if (child.attributes.length > 0) ctx.fail(child.attributes[0]!, `The '${child.attributes[0]!.name}' attribute is not declared.`);
      const text = ctx.text(child);
      if (text.isConstant && text.constant!.trim() === '') ctx.fail(child, `The element '${child.name}' must name a ${child.name === 'vary-by-header' ? 'header' : 'query parameter'}.`);
      (child.name === 'vary-by-header' ? headers : queryParameters).push(text);
    }

    return async (gw) => {
      if (gw.request.method.toUpperCase() !== 'GET') return;
      if (gw.request.headers.has('Authorization') && !allowPrivate.get(gw)) return;
      const cache = cacheFor(gw, cachingType);
      if (!cache) return;
      const vary: VaryBy = {
        developer: varyByDeveloper.get(gw),
        developerGroups: varyByGroups.get(gw),
        headers: headers.map((h) => h.get(gw).trim()),
        queryParameters: queryParameters.flatMap((q) => q.get(gw).split(';').map((p) => p.trim()).filter((p) => p !== '')),
      };
      const key = responseCacheKey(gw, vary);
      const state: ResponseCacheState = { downstream: downstream.get(gw) as DownstreamCachingType, mustRevalidate: mustRevalidate.get(gw) };
      gw.setSlot(responseCacheSlot, state);
      gw.beforeRespond.push((g) => {
        if (state.freshUntil !== undefined) g.response.headers.set('Cache-Control', downstreamCacheControl(state, g.services.clock.now()));
      });
      const bytes = await cache.get(key);
      const entry = bytes && decodeCachedResponse(bytes);
      if (entry && entry.expiresAt > gw.services.clock.now()) {
        gw.response.body.discard();
        gw.response = responseFromCache(entry);
        state.freshUntil = entry.expiresAt;
        gw.responded = true;
        if (gw.requestTrace) gw.traceStep('cache-lookup', { message: 'Cache lookup resulted in a hit; the cached response is returned.', status: entry.statusCode });
        return;
      }
      if (gw.requestTrace) gw.traceStep('cache-lookup', { message: 'Cache lookup resulted in a miss.' });
      state.key = key;
      state.cache = cache;
    };
  },
};
