/**
 * The backend-bound URL: the API's serviceUrl + the operation-relative rest of the path + the
 * client's query (reference §1.3). Without a serviceUrl the request goes nowhere until a policy
 * (set-backend-service) chooses a backend; the URL then points at the gateway's own address.
 */
import { joinBackendPath } from '../pipeline/backend-path.js';
import { parseQueryString, RequestUrl } from '../pipeline/request-url.js';
import { resolveDotSegments, segmentCount, type DotSegmentResolution } from './dot-segments.js';

export interface BackendUrl {
  url: RequestUrl;
  base: RequestUrl | null;
}

/** Builds the backend URL for a matched request; `queryPairs` is `rawQuery` already parsed. */
export function buildBackendUrl(
  serviceUrl: string | undefined,
  remainingPath: string,
  rawQuery: string,
  originalUrl: RequestUrl,
  queryPairs: Array<[string, string]> = parseQueryString(rawQuery),
): BackendUrl {
  if (!serviceUrl) {
    const url = originalUrl.clone();
    url.setParsedRawQuery(rawQuery, queryPairs);
    return { url, base: null };
  }
  const parsed = parsedServiceUrl(serviceUrl);
  // Each request gets its own objects: policies replace them, and nothing may leak across calls.
  const base = new RequestUrl(parsed.scheme, parsed.host, parsed.port, parsed.path, []);
  // Stryker disable next-line ArrayDeclaration: setParsedRawQuery on the next line replaces this empty query
  const url = new RequestUrl(base.scheme, base.host, base.port, joinBackendPath(base.path, remainingPath), []);
  url.setParsedRawQuery(rawQuery, queryPairs);
  return { url, base };
}

const serviceUrlCacheLimit = 65_536;
const serviceUrlCache = new Map<string, RequestUrl>();

/** A service URL parsed once (the set of URLs is the configuration's, so the cache is bounded by it). */
function parsedServiceUrl(serviceUrl: string): RequestUrl {
  return serviceUrlCache.get(serviceUrl) ?? parseIntoCache(serviceUrl);
}

/** Parses a service URL and keeps it; throws for an invalid URL, every time, as parsing per request did. */
function parseIntoCache(serviceUrl: string): RequestUrl {
  const parsed = RequestUrl.parse(serviceUrl);
  // Stryker disable next-line ConditionalExpression,EqualityOperator: the bound only limits memory; after a clear the URL is parsed again
  if (serviceUrlCache.size >= serviceUrlCacheLimit) serviceUrlCache.clear();
  serviceUrlCache.set(serviceUrl, parsed);
  return parsed;
}

/**
 * The path to send to the backend: a policy (rewrite-uri, set-backend-service) may have built one
 * with dot segments from a template parameter or an expression. They are removed; a `..` that
 * would climb above the backend base path (or the root), or a dot segment hidden behind an
 * encoded separator, is refused (docs/routing.md, "Dot segments").
 */
export function resolveBackendPath(path: string, basePath: string | undefined): DotSegmentResolution {
  const resolved = resolveDotSegments(path);
  // A refusal is returned as it is. So is a path where no `..` removed a segment: the depth check
  // below would pass it (a refusal has no lowestDepth, and nothing is below Infinity).
  // Stryker disable next-line LogicalOperator: fast path; the check below gives the same answer (its ConditionalExpression `false` survives for the same reason and is left in the score)
  if (!resolved.ok || resolved.lowestDepth === Infinity) return resolved;
  // Without a base path only the root bounds a `..`, and resolveDotSegments has refused a climb above it.
  if (basePath === undefined) return resolved;
  // A base of '' or '/' has no segments. A path that left the base (a policy chose another one) is
  // checked against the root only. The base comes from a parsed URL, which has no dot segments left,
  // so a path equal to the base has none either and was returned above.
  const base = basePath.replace(/\/$/, '');
  const baseDepth = path.startsWith(base + '/') ? segmentCount(base) : 0;
  if (resolved.lowestDepth < baseDepth) return { ok: false, reason: "The backend path's '..' segments climb above the backend's base path." };
  return resolved;
}
