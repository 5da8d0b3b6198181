/** Hop-by-hop headers (RFC 9110 §7.6.1) that a proxy must not forward. */

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

/**
 * True for a header that is never forwarded (the forwarder also drops those a `Connection`
 * header lists, in the same pass).
 */
export function isHopByHop(name: string): boolean {
  return hopByHop.has(name.toLowerCase());
}
