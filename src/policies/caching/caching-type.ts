/**
 * `caching-type`, shared by every caching policy (reference §3 Caching): `internal` is the
 * built-in cache, `external` the Redis cache (`--redis` or a `caches` entity), `prefer-external`
 * (the default) the external one when configured, else the built-in one. `external` with no
 * external cache configured misses on every lookup and drops every store (docs/caching.md).
 */
import type { CacheStore } from '../../core/ports.js';
import type { GatewayContext } from '../../pipeline/gateway-context.js';
import type { AttributeSpec, PolicyCompileContext } from '../../pipeline/policy-module.js';
import type { XmlElement } from '../../pipeline/xml.js';

export type CachingType = 'prefer-external' | 'external' | 'internal';

/** The attribute as every caching policy declares it ("Policy expressions aren't allowed"). */
export const cachingTypeAttribute: AttributeSpec = { type: 'enum', default: 'prefer-external', values: ['prefer-external', 'external', 'internal'] };

/** The element's caching type, known at compile time. */
export function readCachingType(element: XmlElement, ctx: PolicyCompileContext): CachingType {
  return ctx.string(element, 'caching-type')!.constant as CachingType;
}

/** The cache a request uses for `type`, or undefined when it names an external cache that is not configured. */
export function cacheFor(gw: GatewayContext, type: CachingType): CacheStore | undefined {
  const caches = gw.services.caches;
  if (type === 'internal') return caches.internal;
  const external = caches.external();
  return type === 'external' ? external : (external ?? caches.internal);
}

/**
 * The prefix of every key a service writes: entries of two services sharing one Redis never
 * meet. `kind` keeps response entries apart from values stored by key.
 */
export function serviceKeyPrefix(gw: GatewayContext, kind: 'response' | 'value'): string {
  return `${gw.catalog.serviceName}|${kind}|`;
}
