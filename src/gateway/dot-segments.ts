/**
 * Dot segments in a raw URL path (RFC 3986 §5.2.4), read the way a backend might read them: a
 * segment is `.` or `..` also when percent-encoded (`%2e%2E`, `.%2e`). Resolving them before
 * routing and again before forwarding keeps `..` from ever reaching a backend (docs/routing.md,
 * "Dot segments").
 */

/** A path with its dot segments removed, or why it is refused. */
export type DotSegmentResolution =
  | {
      ok: true;
      /** The path without dot segments; every other segment is kept raw, as received. */
      path: string;
      /**
       * The fewest segments left in front of the cursor after a `..` removed one: a `..` that
       * removed a segment of the first N has climbed into them when this is below N. Infinity
       * when no `..` removed anything.
       */
      lowestDepth: number;
    }
  | { ok: false; reason: string };

const encodedDot = /%2e/gi;
// What some backends take as a separator inside one segment: encoded slash, backslash (raw and
// encoded) and the `;` that starts path parameters (`..;x` is `..` to Tomcat).
const hiddenSeparators = /%2f|%5c|\\|;/i;
const hiddenSeparatorsGlobal = /%2f|%5c|\\|;/gi;

/** `'.'`, `'..'` or undefined for a segment as received; throws for a dot segment hidden behind a separator. */
function dotSegmentOf(raw: string): '.' | '..' | undefined {
  if (raw === '.' || raw === '..') return raw;
  const text = raw.includes('%') ? raw.replace(encodedDot, '.') : raw;
  if (text === '.' || text === '..') return text;
  if (text.includes('.') && hiddenSeparators.test(text)) {
    for (const piece of text.split(hiddenSeparatorsGlobal)) {
      if (piece === '.' || piece === '..') throw new HiddenDotSegment(raw);
    }
  }
  return undefined;
}

class HiddenDotSegment extends Error {}

/**
 * Removes `.` and `..` segments from a raw path (starting with `/`). Refuses a `..` that would climb
 * above the root and a segment in which a separator a backend may decode (`%2F`, `%5C`, `\`, `;`)
 * hides a dot segment (`..%2F..%2Fsecret`): the gateway cannot tell where such a path leads.
 */
export function resolveDotSegments(rawPath: string): DotSegmentResolution {
  // Most paths have no dot at all: they are returned as they are.
  if (!rawPath.includes('.') && !/%2e/i.test(rawPath)) return { ok: true, path: rawPath, lowestDepth: Infinity };
  const parts = rawPath.split('/');
  const kept: string[] = [];
  let lowestDepth = Infinity;
  let changed = false;
  let endsInDirectory = false;
  // parts[0] is the empty text before the leading '/'.
  for (let i = 1; i < parts.length; i++) {
    const segment = parts[i]!;
    let dot: '.' | '..' | undefined;
    try {
      dot = dotSegmentOf(segment);
    } catch {
      return { ok: false, reason: `The path segment '${segment}' hides a dot segment behind an encoded separator.` };
    }
    endsInDirectory = dot !== undefined;
    if (dot === undefined) {
      kept.push(segment);
      continue;
    }
    changed = true;
    if (dot === '..') {
      if (kept.length === 0) return { ok: false, reason: "The path's '..' segments climb above its root." };
      kept.pop();
      lowestDepth = Math.min(lowestDepth, kept.length);
    }
  }
  if (!changed) return { ok: true, path: rawPath, lowestDepth };
  // A final dot segment leaves the path naming a directory: `/a/b/..` is `/a/`.
  const path = '/' + kept.join('/') + (endsInDirectory && kept.length > 0 ? '/' : '');
  return { ok: true, path, lowestDepth };
}

/** How many segments a raw path prefix has (`/files/v1` → 2, `''` → 0). */
export function segmentCount(rawPrefix: string): number {
  if (rawPrefix === '' || rawPrefix === '/') return 0;
  const body = rawPrefix.startsWith('/') ? rawPrefix.slice(1) : rawPrefix;
  return (body.endsWith('/') ? body.slice(0, -1) : body).split('/').length;
}
