/**
 * The caller's IP address as policies see it (`context.Request.IpAddress`, `ip-filter`, the
 * public-access refusal): the connection's peer, unless that peer is a configured trusted proxy
 * (`--trusted-proxies`), in which case `X-Forwarded-For` is read from the right, skipping the
 * trusted hops. Without trusted proxies `X-Forwarded-For` is ignored, so a caller can never
 * choose its own address by sending the header.
 */
import { isIP } from 'node:net';
import { unmapped, type AddressRanges } from '../core/address-ranges.js';
import type { HeaderMap } from '../pipeline/header-map.js';

/**
 * The client address of a request: `peer` (the socket's remote address) when it is not a trusted
 * proxy, otherwise the rightmost untrusted valid `X-Forwarded-For` entry; a malformed entry stops
 * the walk at the last trusted hop, and a chain of trusted hops only yields its leftmost one.
 * The header is read only when the peer is trusted, so other requests never look it up.
 */
export function clientAddress(peer: string | undefined, headers: Pick<HeaderMap, 'getAll'>, trustedProxies: AddressRanges | null): string {
  let client = unmapped(peer ?? '');
  if (!trustedProxies || trustedProxies.empty || !trustedProxies.contains(client)) return client;
  const hops = headers.getAll('x-forwarded-for').flatMap((value) => value.split(','));
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = forwardedAddress(hops[i]!);
    if (hop === undefined) return client;
    if (!trustedProxies.contains(hop)) return hop;
    client = hop;
  }
  return client;
}

/**
 * One `X-Forwarded-For` entry as an address: `1.2.3.4`, `1.2.3.4:port`, `2001:db8::1`,
 * `[2001:db8::1]` or `[2001:db8::1]:port`; undefined for anything else.
 */
function forwardedAddress(entry: string): string | undefined {
  const text = entry.trim();
  if (isIP(text) !== 0) return unmapped(text);
  const bracketed = /^\[([^\]]+)\](?::\d{1,5})?$/.exec(text);
  if (bracketed) return isIP(bracketed[1]!) === 6 ? unmapped(bracketed[1]!) : undefined;
  const withPort = /^([\d.]+):\d{1,5}$/.exec(text);
  if (withPort && isIP(withPort[1]!) === 4) return withPort[1]!;
  return undefined;
}
