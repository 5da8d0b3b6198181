/** Hop-by-hop headers (RFC 9110 §7.6.1) that a proxy must not forward. */
import type { HeaderMap } from '../pipeline/header-map.js';

const hopByHop = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/** True for a header that is never forwarded. */
export function isHopByHop(name: string): boolean {
  return hopByHop.has(name.toLowerCase());
}

/** Removes hop-by-hop headers, including those the Connection header lists. */
export function stripHopByHop(headers: HeaderMap): void {
  const listed = headers.get('connection');
  if (listed) for (const name of listed.split(',')) headers.delete(name.trim());
  for (const name of headers.names()) if (isHopByHop(name)) headers.delete(name);
}
