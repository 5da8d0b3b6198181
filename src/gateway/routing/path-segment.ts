/**
 * Decoding and comparison keys for one URL path segment. Paths compare case-insensitively and
 * after percent-decoding (docs/routing.md, "Case and encoding"); values keep their case.
 */

/** Percent-decodes a segment; a malformed escape leaves the text as received. */
export function decodeSegment(raw: string): string {
  if (!raw.includes('%')) return raw;
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/** The key a segment is looked up by in literal maps: decoded and lower-cased. */
export function segmentKey(decoded: string): string {
  return decoded.toLowerCase();
}
