/**
 * Entity tags on the wire (reference §5.3): the store's opaque tag, quoted in the `ETag`
 * header; `If-Match` accepts the quoted or bare form, a weak prefix, a list, or `*`.
 */

/** The `ETag` header value for a stored tag. */
export function etagHeader(etag: string): string {
  return `"${etag}"`;
}

/** The tags an `If-Match`/`If-None-Match` header names ('*' stays '*'); undefined when absent. */
export function parseMatchHeader(header: string | undefined): string[] | undefined {
  if (header === undefined || header.trim() === '') return undefined;
  return header
    .split(',')
    .map((t) => t.trim().replace(/^W\//, '').replace(/^"(.*)"$/, '$1'))
    .filter((t) => t !== '');
}

/** True when the stored tag satisfies the `If-Match` tags. */
export function etagMatches(stored: string, tags: readonly string[]): boolean {
  return tags.some((t) => t === '*' || t === stored);
}
