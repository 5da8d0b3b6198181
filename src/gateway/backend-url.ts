/**
 * The backend-bound URL: the API's serviceUrl + the operation-relative rest of the path + the
 * client's query (reference §1.3). Without a serviceUrl the request goes nowhere until a policy
 * (set-backend-service) chooses a backend; the URL then points at the gateway's own address.
 */
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
  const url = new RequestUrl(base.scheme, base.host, base.port, joinBackendPath(base.path, remainingPath), []);
  url.setParsedRawQuery(rawQuery, queryPairs);
  return { url, base };
}

const serviceUrlCacheLimit = 65_536;
const serviceUrlCache = new Map<string, RequestUrl>();

/** A service URL parsed once (the set of URLs is the configuration's, so the cache is bounded by it). */
function parsedServiceUrl(serviceUrl: string): RequestUrl {
  let parsed = serviceUrlCache.get(serviceUrl);
  if (!parsed) {
    // Throws for an invalid URL, every time, as parsing per request did.
    parsed = RequestUrl.parse(serviceUrl);
    if (serviceUrlCache.size >= serviceUrlCacheLimit) serviceUrlCache.clear();
    serviceUrlCache.set(serviceUrl, parsed);
  }
  return parsed;
}

/** Joins a base path and an operation-relative path with exactly one slash between them. */
export function joinBackendPath(basePath: string, rest: string): string {
  if (rest === '') return basePath === '' ? '/' : basePath;
  const trimmedBase = basePath.endsWith('/') ? basePath.slice(0, -1) : basePath;
  return trimmedBase + (rest.startsWith('/') ? rest : '/' + rest);
}

/**
 * The path to send to the backend: a policy (rewrite-uri, set-backend-service) may have built one
 * with dot segments from a template parameter or an expression. They are removed; a `..` that
 * would climb above the backend base path (or the root), or a dot segment hidden behind an
 * encoded separator, is refused (docs/routing.md, "Dot segments").
 */
export function resolveBackendPath(path: string, basePath: string | undefined): DotSegmentResolution {
  const resolved = resolveDotSegments(path);
  if (!resolved.ok || resolved.lowestDepth === Infinity) return resolved;
  const base = basePath === undefined || basePath === '' || basePath === '/' ? '' : basePath.replace(/\/$/, '');
  const underBase = base === '' || path === base || path.startsWith(base + '/');
  const baseDepth = underBase ? segmentCount(base) : 0;
  if (resolved.lowestDepth < baseDepth) return { ok: false, reason: "The backend path's '..' segments climb above the backend's base path." };
  return resolved;
}
