/**
 * A segment trie of API paths (reference §1.2.2): the longest whole-segment prefix of the request
 * path that is some API's path selects the API. A lookup walks at most one node per request
 * segment, so its cost does not depend on how many APIs there are.
 */
import { decodeSegment, segmentKey } from './path-segment.js';
import type { PathEntry } from './path-entry.js';
import type { RequestSegment } from './request-path.js';

interface Node {
  /** Absent on leaves (most nodes), so they cost no Map. */
  children: Map<string, Node> | undefined;
  entry: PathEntry | undefined;
}

/** Where a request path found its API path. */
export interface PathHit {
  entry: PathEntry;
  /** How many request segments the API path consumed. */
  depth: number;
  /** The `;rev=N` written on the API path's last segment, if any. */
  rev: string | undefined;
}

/** Splits an `api.path` (`''`, `echo`, `/a/b/`) into lookup keys. */
export function apiPathKeys(path: string): string[] {
  return path
    .split('/')
    .filter((s) => s !== '')
    .map((s) => segmentKey(decodeSegment(s)));
}

/** The trie; built once, then read-only. */
export class ApiPathTrie {
  private readonly root: Node = { children: undefined, entry: undefined };

  /** Places an entry at an API path (given as keys from apiPathKeys). */
  add(keys: readonly string[], entry: PathEntry): void {
    let node = this.root;
    for (const key of keys) {
      let next = node.children?.get(key);
      if (!next) (node.children ??= new Map()).set(key, (next = { children: undefined, entry: undefined }));
      node = next;
    }
    node.entry = entry;
  }

  /** The deepest API path that is a whole-segment prefix of the request path. */
  find(segments: readonly RequestSegment[]): PathHit | undefined {
    let node = this.root;
    let hit: PathHit | undefined;
    if (node.entry) {
      // The root API (empty path) carries its revision as a bare first segment: `/;rev=2/…`.
      const first = segments[0];
      hit =
        first && first.baseKey === '' && first.rev !== undefined
          ? { entry: node.entry, depth: 1, rev: first.rev }
          : { entry: node.entry, depth: 0, rev: undefined };
    }
    for (let i = 0; i < segments.length; i++) {
      const seg = segments[i]!;
      const child = node.children?.get(seg.baseKey);
      if (!child) break;
      node = child;
      if (child.entry) hit = { entry: child.entry, depth: i + 1, rev: seg.rev };
      // `;rev=N` ends the API path: no longer API path can continue past it.
      if (seg.rev !== undefined) break;
    }
    return hit;
  }
}
