/**
 * The gateway's request router (reference §1.2–1.3): built once per configuration snapshot from
 * the APIs and version sets, then matched for every request without scanning APIs or operations.
 * See docs/routing.md for the rules and the decisions where Azure's documentation is silent.
 */
import type { Api, ApiVersionSet } from '../../model/resources.js';
import { ApiPathTrie, apiPathKeys } from './api-path-trie.js';
import { PathEntry } from './path-entry.js';
import { parseRequestPath, rawPathBefore, rawPathFrom } from './request-path.js';
import { operationQuery } from './soap-action.js';
import type { RouteMiss, RouteMissReason, RouteRequest, RouteResult } from './route-types.js';

/** An immutable routing table for one configuration snapshot. */
export class RouteTable {
  private constructor(
    private readonly paths: ApiPathTrie,
    /** How many API revisions the table holds. */
    readonly size: number,
  ) {
    Object.freeze(this);
  }

  /** Builds the table; throws RoutingConfigError when the configuration is ambiguous or invalid. */
  static build(apis: readonly Api[], versionSets: readonly ApiVersionSet[]): RouteTable {
    const sets = new Map(versionSets.map((s) => [s.name, s]));
    const byPath = new Map<string, { keys: string[]; apis: Api[] }>();
    for (const api of apis) {
      const keys = apiPathKeys(api.path);
      const id = keys.join('/');
      const bucket = byPath.get(id);
      if (bucket) bucket.apis.push(api);
      else byPath.set(id, { keys, apis: [api] });
    }
    const trie = new ApiPathTrie();
    for (const [id, bucket] of byPath) trie.add(bucket.keys, PathEntry.build('/' + id, bucket.apis, sets));
    return new RouteTable(trie, apis.length);
  }

  /** Finds the API, version, revision and operation for a request, or says why none answers. */
  match(request: RouteRequest): RouteResult {
    const path = parseRequestPath(request.path);
    const hit = this.paths.find(path.segments);
    if (!hit) return miss('api-not-found');
    const resolved = hit.entry.resolve(path, hit.depth, hit.rev, request);
    if (!resolved.ok) return miss(resolved.reason, resolved.api);
    const { api, operations } = resolved.target;
    if (!api.protocols.includes(request.scheme)) return miss('protocol-not-allowed', api);
    const op = operations.match(request.method, path.segments, resolved.opStart, operationQuery(api, request));
    if (!op) return miss('operation-not-found', api);
    return {
      matched: true,
      api,
      operation: op.operation,
      matchedParameters: op.matchedParameters,
      remainingPath: rawPathFrom(path, resolved.opStart),
      apiPrefix: rawPathBefore(path, resolved.opStart),
      versionId: resolved.versionId,
      revision: api.apiRevision,
    };
  }
}

function miss(reason: RouteMissReason, api?: Api): RouteMiss {
  return api ? { matched: false, reason, error: 'OperationNotFound', api } : { matched: false, reason, error: 'OperationNotFound' };
}
