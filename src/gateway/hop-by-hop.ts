/**
 * Hop-by-hop headers (RFC 9110 §7.6.1) that a proxy must not forward, plus `Expect`: the
 * client's `100-continue` is answered by the gateway's own server (Node sends the interim 100),
 * and undici refuses to send the header at all.
 */

const hopByHop: ReadonlySet<string> = new Set([
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
  return isHopByHopLowerCase(name.toLowerCase());
}

/**
 * As `isHopByHop`, for a name already lower-cased (a HeaderMap key): every forwarded header
 * passes here, and lower-casing it a second time was a measurable share of a routed call.
 */
export function isHopByHopLowerCase(lowerName: string): boolean {
  return hopByHop.has(lowerName);
}

/**
 * Adds the header names one `Connection` header value lists (lower-cased) to `into`, except
 * those that are hop-by-hop anyway: a proxy drops the listed names too (RFC 9110 §7.6.1), and
 * the hop-by-hop ones are dropped whether listed or not. Returns `into`, or undefined when
 * nothing was added to a set that was not given, as for the usual `keep-alive`, so that most
 * calls allocate no set at all.
 */
export function extraNamesListedByConnection(value: string, into?: Set<string>): Set<string> | undefined {
  // One token is the usual value: no split.
  if (!value.includes(',')) return addListedName(value, into);
  for (const token of value.split(',')) into = addListedName(token, into);
  return into;
}

function addListedName(token: string, into: Set<string> | undefined): Set<string> | undefined {
  const name = token.trim().toLowerCase();
  if (hopByHop.has(name)) return into;
  return (into ?? new Set<string>()).add(name);
}
