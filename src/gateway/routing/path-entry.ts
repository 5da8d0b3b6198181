/**
 * The APIs that answer at one `api.path` (reference §1.2.3): a single API with its revisions, or
 * the versions of one version set, each with its revisions. Resolving picks the version from the
 * path segment, query parameter or header the set's scheme names, then the revision.
 */
import { apiBaseName, type Api, type ApiVersionSet } from '../../model/resources.js';
import type { RequestPath } from './request-path.js';
import type { RouteMissReason, RouteRequest } from './route-types.js';
import { firstQueryValue } from './operation-trie.js';
import { RevisionGroup, type RoutableApi } from './revision-group.js';
import { RoutingConfigError } from './routing-config-error.js';

/** Azure's defaults for the version parameter names, used when the set leaves them out [infer]. */
const DEFAULT_VERSION_QUERY = 'api-version';
const DEFAULT_VERSION_HEADER = 'Api-Version';

/** The versions of every entry that is not a version set: one shared empty map. */
const NO_VERSIONS: ReadonlyMap<string, { id: string; group: RevisionGroup }> = new Map();

export type Resolution =
  | { ok: true; target: RoutableApi; opStart: number; versionId: string | undefined }
  | { ok: false; reason: RouteMissReason; api?: Api };

/** APIs sharing one path; see the file comment. */
export class PathEntry {
  private constructor(
    private readonly plain: RevisionGroup | undefined,
    private readonly set: ApiVersionSet | undefined,
    /** Versions by lower-cased version id (version ids compare case-insensitively). */
    private readonly versions: ReadonlyMap<string, { id: string; group: RevisionGroup }>,
    private readonly original: RevisionGroup | undefined,
  ) {
    Object.freeze(this);
  }

  /** Groups the APIs found at one path; `pathLabel` names the path in errors. */
  static build(pathLabel: string, apis: readonly Api[], versionSets: ReadonlyMap<string, ApiVersionSet>): PathEntry {
    const byBase = new Map<string, Api[]>();
    for (const api of apis) {
      const base = apiBaseName(api.name);
      const list = byBase.get(base);
      if (list) list.push(api);
      else byBase.set(base, [api]);
    }
    const groups = [...byBase].map(([base, revisions]) => RevisionGroup.build(base, revisions));
    const unversioned = groups.filter((g) => !g.representative.apiVersionSetId);
    if (unversioned.length > 0) {
      if (groups.length > 1) {
        const names = groups.map((g) => `'${g.baseName}'`).join(', ');
        throw new RoutingConfigError(`APIs ${names} share the path '${pathLabel}' but are not versions of one version set`);
      }
      return new PathEntry(groups[0], undefined, NO_VERSIONS, undefined);
    }

    const setName = groups[0]!.representative.apiVersionSetId!;
    const set = versionSets.get(setName);
    if (!set) throw new RoutingConfigError(`API '${groups[0]!.baseName}' refers to the unknown version set '${setName}'`);
    const versions = new Map<string, { id: string; group: RevisionGroup }>();
    let original: RevisionGroup | undefined;
    for (const group of groups) {
      const api = group.representative;
      if (api.apiVersionSetId !== setName) {
        throw new RoutingConfigError(
          `APIs '${groups[0]!.baseName}' and '${group.baseName}' share the path '${pathLabel}' but belong to different version sets`,
        );
      }
      const id = api.apiVersion ?? '';
      if (id === '') {
        if (original) throw new RoutingConfigError(`Version set '${setName}' has two Original versions at '${pathLabel}'`);
        original = group;
        continue;
      }
      const key = id.toLowerCase();
      if (versions.has(key)) throw new RoutingConfigError(`Version set '${setName}' has version '${id}' twice at '${pathLabel}'`);
      versions.set(key, { id, group });
    }
    return new PathEntry(undefined, set, versions, original);
  }

  /**
   * Picks the API revision for a request whose path matched this entry's `depth` segments;
   * `pathRev` is the `;rev=N` on the last of them.
   */
  resolve(path: RequestPath, depth: number, pathRev: string | undefined, request: RouteRequest): Resolution {
    if (this.plain) return pick(this.plain, pathRev, depth, undefined);
    const set = this.set!;
    switch (set.versioningScheme) {
      case 'Segment': {
        // `/{apiPath}/{versionId}[;rev=N]/…`; a `;rev=N` on the API path itself can only address the
        // Original version, which has no version segment.
        const seg = pathRev === undefined ? path.segments[depth] : undefined;
        const version = seg ? this.versions.get(seg.baseKey) : undefined;
        if (version) return pick(version.group, seg!.rev, depth + 1, version.id);
        return this.pickOriginal(pathRev, depth);
      }
      case 'Query':
        return this.pickById(firstQueryValue(request.query, set.versionQueryName || DEFAULT_VERSION_QUERY), pathRev, depth);
      case 'Header':
        return this.pickById(request.header(set.versionHeaderName || DEFAULT_VERSION_HEADER), pathRev, depth);
    }
  }

  private pickById(id: string | undefined, pathRev: string | undefined, depth: number): Resolution {
    // An empty identifier counts as none, so the Original version answers [infer].
    if (id === undefined || id === '') return this.pickOriginal(pathRev, depth);
    const version = this.versions.get(id.toLowerCase());
    if (!version) return { ok: false, reason: 'version-not-found' };
    return pick(version.group, pathRev, depth, version.id);
  }

  private pickOriginal(pathRev: string | undefined, depth: number): Resolution {
    if (!this.original) return { ok: false, reason: 'version-not-found' };
    return pick(this.original, pathRev, depth, undefined);
  }
}

function pick(group: RevisionGroup, rev: string | undefined, opStart: number, versionId: string | undefined): Resolution {
  const target = group.pick(rev);
  if (!target) return { ok: false, reason: 'revision-not-found', api: group.representative };
  return { ok: true, target, opStart, versionId };
}

