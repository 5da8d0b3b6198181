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

/** `'.'`, `'..'` or undefined for a segment as received; throws for a dot segment hidden behind a separator. */
function dotSegmentOf(raw: string): '.' | '..' | undefined {
  // Only segments of a path with a dot, raw or encoded, get here (resolveDotSegments' fast path):
  // few enough that this needs no fast paths of its own.
  const text = raw.replace(encodedDot, '.');
  if (text === '.' || text === '..') return text;
  // Without a separator the one piece is the whole segment, which is no dot segment (just checked).
  for (const piece of text.split(hiddenSeparators)) {
    if (piece === '.' || piece === '..') throw new HiddenDotSegment(raw);
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
  // Most paths have no dot at all: they are returned as they are (the loop below would return
  // them unchanged too, only slower).
  // Stryker disable next-line StringLiteral: fast path; the loop gives the same answer (its ConditionalExpression `false` survives for the same reason and is left in the score)
  if (!rawPath.includes('.') && !/%2e/i.test(rawPath)) return { ok: true, path: rawPath, lowestDepth: Infinity };
  const parts = rawPath.split('/');
  const kept: string[] = [];
  let lowestDepth = Infinity;
  // Stryker disable next-line BooleanLiteral: only skips rebuilding a path without dot segments, which gives the same text for a path starting with '/'
  let changed = false;
  // Stryker disable next-line BooleanLiteral: every pass of the loop sets it, and it is read only after a pass removed a dot segment
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
  // The rebuilt path would be the same text when nothing changed: this condition's `false` mutant is equivalent, and left in the score.
  if (!changed) return { ok: true, path: rawPath, lowestDepth };
  // A final dot segment leaves the path naming a directory: `/a/b/..` is `/a/`.
  const path = '/' + kept.join('/') + (endsInDirectory && kept.length > 0 ? '/' : '');
  return { ok: true, path, lowestDepth };
}

/** How many segments a raw path prefix has (`/files/v1` → 2, `''` → 0). */
export function segmentCount(rawPrefix: string): number {
  if (rawPrefix === '' || rawPrefix === '/') return 0;
  // The count is the number of inner '/' plus one. Each trim below drops a slash at one end; made
  // to cut any last or first character, it would cut one that is no slash, which leaves the count.
  // Stryker disable next-line StringLiteral: startsWith('') cuts a first character that is no slash: same count
  const body = rawPrefix.startsWith('/') ? rawPrefix.slice(1) : rawPrefix;
  // Stryker disable next-line StringLiteral: endsWith('') cuts a last character that is no slash: same count
  const trimmed = body.endsWith('/') ? body.slice(0, -1) : body;
  return trimmed.split('/').length;
}
