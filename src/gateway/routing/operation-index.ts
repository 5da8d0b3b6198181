/**
 * One API's operations, indexed by method and then by URL template (reference §1.3). Methods
 * compare upper-cased. An operation whose method is `*` answers any method [infer: Azure's portal
 * offers only concrete verbs; we accept `*` for hand-written configurations]; at equal
 * precedence an operation with the request's exact method wins over a `*` one.
 */
import type { Api, Operation } from '../../model/resources.js';
import type { RequestSegment } from './request-path.js';
import { OperationTrieNode, TrieSearch, firstQueryValue } from './operation-trie.js';
import { compileUrlTemplate } from './url-template.js';

const ANY_METHOD = '*';

export interface OperationHit {
  operation: Operation;
  matchedParameters: Record<string, string>;
}

/** The per-API operation lookup: a trie per method. */
export class OperationIndex {
  private constructor(
    private readonly byMethod: ReadonlyMap<string, OperationTrieNode>,
    private readonly anyMethod: OperationTrieNode | undefined,
  ) {
    Object.freeze(this);
  }

  /** Compiles every operation of an API; a bad template throws RoutingConfigError. */
  static build(api: Api): OperationIndex {
    const byMethod = new Map<string, OperationTrieNode>();
    api.operations.forEach((operation, order) => {
      const method = operation.method.trim().toUpperCase();
      const template = compileUrlTemplate(operation.urlTemplate, `API '${api.name}', operation '${operation.name}'`);
      let root = byMethod.get(method);
      if (!root) byMethod.set(method, (root = new OperationTrieNode()));
      root.insert(template, operation, order);
    });
    for (const root of byMethod.values()) root.seal();
    const anyMethod = byMethod.get(ANY_METHOD);
    byMethod.delete(ANY_METHOD);
    return new OperationIndex(byMethod, anyMethod);
  }

  /** Finds the operation for a method and the path segments from `from` on, or undefined. */
  match(
    method: string,
    segments: readonly RequestSegment[],
    from: number,
    query: ReadonlyArray<readonly [string, string]>,
  ): OperationHit | undefined {
    const exact = this.byMethod.get(method.toUpperCase());
    if (!exact && !this.anyMethod) return undefined;
    const search = new TrieSearch(segments, from, query);
    if (exact) search.run(exact);
    if (this.anyMethod) search.run(this.anyMethod);
    const best = search.best;
    if (!best) return undefined;
    const t = best.terminal;
    const matchedParameters: Record<string, string> = {};
    t.captureNames.forEach((name, k) => {
      matchedParameters[name] = best.captures[k]!;
    });
    if (t.greedyName !== undefined) matchedParameters[t.greedyName] = best.greedyValue ?? '';
    for (const item of t.query) {
      if (item.param !== undefined) matchedParameters[item.param] = firstQueryValue(query, item.name) ?? '';
    }
    return { operation: t.operation, matchedParameters };
  }
}
