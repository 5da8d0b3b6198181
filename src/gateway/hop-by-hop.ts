/**
 * Hop-by-hop headers (RFC 9110 §7.6.1) that a proxy must not forward, plus `Expect`: the
 * client's `100-continue` is answered by the gateway's own server (Node sends the interim 100),
 * and undici refuses to send the header at all.
 */

const hopByHop = new Set([
  'connection',
  'expect',
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

/**
 * Adds the header names one `Connection` header value lists (lower-cased) to `into`: a proxy
 * drops those too (RFC 9110 §7.6.1).
 */
export function namesListedByConnection(value: string, into = new Set<string>()): Set<string> {
  for (const token of value.split(',')) into.add(token.trim().toLowerCase());
  return into;
}
