/**
 * Splits a raw request path into segments once per request, keeping each segment's offset so the
 * operation-relative path can be sliced raw (as received) for the backend URL.
 */
import { decodeSegment, segmentKey } from './path-segment.js';

const REV_MARKER = ';rev=';

export interface RequestSegment {
  /** Raw text as received. */
  raw: string;
  /** Percent-decoded text. */
  decoded: string;
  /** Lookup key of the whole segment (decoded, lower-cased). */
  key: string;
  /** Lookup key of the segment without a `;rev=N` suffix. */
  baseKey: string;
  /** The `N` of a `;rev=N` suffix, if any. */
  rev: string | undefined;
  /** Offset of the segment's first character in the raw path (after its `/`). */
  start: number;
}

export interface RequestPath {
  raw: string;
  /** Segments without the empty one a trailing slash would produce. */
  segments: RequestSegment[];
}

/** Parses a raw path (`/a/b;rev=2/c/`) into segments; a trailing slash does not add a segment. */
export function parseRequestPath(path: string): RequestPath {
  const raw = path.startsWith('/') ? path : '/' + path;
  const segments: RequestSegment[] = [];
  let start = 1;
  while (start <= raw.length) {
    let end = raw.indexOf('/', start);
    if (end === -1) end = raw.length;
    // The empty text after a final '/' is the trailing slash, not a segment (docs/routing.md).
    if (end === raw.length && start === raw.length) break;
    segments.push(makeSegment(raw.slice(start, end), start));
    start = end + 1;
  }
  return { raw, segments };
}

function makeSegment(raw: string, start: number): RequestSegment {
  const decoded = decodeSegment(raw);
  const key = segmentKey(decoded);
  const at = raw.indexOf(REV_MARKER);
  if (at === -1 || at + REV_MARKER.length === raw.length) {
    return { raw, decoded, key, baseKey: key, rev: undefined, start };
  }
  const baseKey = segmentKey(decodeSegment(raw.slice(0, at)));
  return { raw, decoded, key, baseKey, rev: decodeSegment(raw.slice(at + REV_MARKER.length)), start };
}

/** The raw path from segment `index` on (`''` when nothing is left, `/` for a bare trailing slash). */
export function rawPathFrom(path: RequestPath, index: number): string {
  if (index < path.segments.length) return path.raw.slice(path.segments[index]!.start - 1);
  if (path.segments.length === 0) return path.raw;
  const last = path.segments[path.segments.length - 1]!;
  const end = last.start + last.raw.length;
  return path.raw.slice(end);
}

/** The raw path before segment `index` (the part that selected the API). */
export function rawPathBefore(path: RequestPath, index: number): string {
  if (index === 0) return '';
  const last = path.segments[index - 1]!;
  return path.raw.slice(0, last.start + last.raw.length);
}
