/**
 * The URL the client called (`context.Request.OriginalUrl`), built from the Host header and the
 * raw request path. The WHATWG URL parser is the reference; since parsing a whole URL per request
 * is a large share of a proxied call, the common case (a plain host and a path without anything
 * the parser would rewrite) is taken apart by hand, with the host normalised once and cached.
 * Anything else goes through `new URL` exactly as before.
 */
import { RequestUrl } from '../pipeline/request-url.js';

interface ParsedHost {
  host: string;
  port: number;
}

// A host the URL parser only lower-cases and checks: DNS-style labels, IPv4 forms, IPv6 in
// brackets, and an optional port. No userinfo, path, query or backslash can hide in it.
const plainHost = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?$/;
// Path characters the URL parser keeps as they are (RFC 3986 pchar, `/` and `%`).
const plainPath = /^\/[A-Za-z0-9\-._~!$&'()*+,;=:@/%]*$/;
// `.` and `..` segments (also percent-encoded) are resolved by the parser.
const dotSegment = /(?:^|\/)(?:\.|%2e){1,2}(?:\/|$)/i;

const hostCacheLimit = 1024;
const hostCache = new Map<string, ParsedHost>();

/** The client-facing URL of a request, with the already-parsed query attached unchanged. */
export function clientRequestUrl(
  scheme: string,
  hostHeader: string,
  rawPath: string,
  rawQuery: string,
  queryPairs: Array<[string, string]>,
): RequestUrl {
  const path = rawPath.startsWith('/') ? rawPath : '/' + rawPath;
  const host = plainPath.test(path) && !dotSegment.test(path) ? cachedHost(scheme, hostHeader) : undefined;
  const url = host ? new RequestUrl(scheme, host.host, host.port, path, []) : RequestUrl.parse(`${scheme}://${hostHeader}${path}`);
  url.setParsedRawQuery(rawQuery, queryPairs);
  return url;
}

/** The URL parser's reading of a plain host, cached; undefined for anything unusual. */
function cachedHost(scheme: string, hostHeader: string): ParsedHost | undefined {
  const key = scheme + ' ' + hostHeader;
  const known = hostCache.get(key);
  if (known) return known;
  if (!plainHost.test(hostHeader)) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(`${scheme}://${hostHeader}/`);
  } catch {
    // The full parse below raises the same error for the request.
    return undefined;
  }
  const port = parsed.port ? Number(parsed.port) : scheme === 'https' || scheme === 'wss' ? 443 : 80;
  const entry: ParsedHost = { host: parsed.hostname, port };
  // Host headers are chosen by clients: bound the cache so odd values cannot grow it.
  if (hostCache.size >= hostCacheLimit) hostCache.clear();
  hostCache.set(key, entry);
  return entry;
}
