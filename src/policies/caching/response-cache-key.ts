/**
 * The key of a cached response (reference §3 Caching). Like Azure's, it is per API, operation
 * and product, and per request path (so `/items/1` and `/items/2` never share an entry); the
 * vary-by rules add the named query parameters and headers, the developer who owns the
 * subscription, or the developer's groups. Query parameters not named do not vary the key, as
 * in Azure. The parts are JSON-encoded (no separator can be forged by a header value) and
 * hashed, so a key has a fixed length whatever the request.
 */
import { createHash } from 'node:crypto';
import type { GatewayContext } from '../../pipeline/gateway-context.js';
import { serviceKeyPrefix } from './caching-type.js';

/** What varies a cached response, as cache-lookup compiled it. */
export interface VaryBy {
  developer: boolean;
  developerGroups: boolean;
  /** Header names, as written. */
  headers: readonly string[];
  /** Query parameter names (each `<vary-by-query-parameter>` may list several, `;`-separated). */
  queryParameters: readonly string[];
}

/** The cache key of the response to `gw`'s request. */
export function responseCacheKey(gw: GatewayContext, vary: VaryBy): string {
  const url = gw.request.originalUrl;
  const parts: unknown[] = [gw.routing.apiId, gw.operation.name, gw.product?.name ?? null, url.path];
  // Sorted by name: the order a client writes its parameters in does not split the cache.
  const query = [...vary.queryParameters].sort().map((name) => [name, url.query.filter(([k]) => k === name).map(([, v]) => v)]);
  parts.push(query);
  parts.push(vary.headers.map((name) => [name.toLowerCase(), gw.request.headers.getAll(name)]));
  if (vary.developer) parts.push(['developer', gw.user?.name ?? null]);
  if (vary.developerGroups) parts.push(['groups', [...(gw.user?.groups ?? [])].sort()]);
  const digest = createHash('sha256').update(JSON.stringify(parts)).digest('base64url');
  return serviceKeyPrefix(gw, 'response') + digest;
}
