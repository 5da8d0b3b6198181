/**
 * Turns the segments below the service into what a request addresses: a collection, an item,
 * an item's POST action, or an API's revision list; checks that every ancestor exists (404
 * with the ancestor's label) and maps `apis/{id};rev=N` to the stored revision.
 */
import { ArmError, notFound } from './arm-error.js';
import { canonicalChain, kindByChain } from './kind-registry.js';
import type { KindContext, ResourceKind } from './resource-kind.js';

export interface ResolvedTarget {
  kind: ResourceKind;
  /** 'item', 'collection', 'action' (POST on an item), 'revisions' (an API's revision list). */
  shape: 'item' | 'collection' | 'action' | 'revisions';
  /** Store id of the item (item, action) — the stored spelling when it exists. */
  id: string;
  /** Store id of the parent item, '' at the top. */
  parent: string;
  /** The item's name as requested (last id segment). */
  name: string;
  action?: string;
}

/** Resolves segments to a target; throws ArmError 404 for unknown paths or missing ancestors. */
export async function resolveResource(segments: readonly string[], ctx: KindContext): Promise<ResolvedTarget> {
  const unknown = (): never => {
    throw new ArmError(404, 'NotFound', `The requested resource '/${segments.join('/')}' is not supported.`);
  };
  let items = segments.length;
  let tail: string | undefined;
  if (segments.length % 2 === 1) {
    const chain = segments.filter((_, i) => i % 2 === 0);
    if (!kindByChain(chain)) {
      // An odd path whose last segment is not a collection: an action or `revisions`.
      items = segments.length - 1;
      tail = segments[segments.length - 1];
    } else {
      items = segments.length - 1;
    }
  }
  // Walk the item prefix, resolving each ancestor to its stored id.
  let parent = '';
  const chain: string[] = [];
  let kind: ResourceKind | undefined;
  for (let i = 0; i < items; i += 2) {
    chain.push(segments[i]!);
    const canonical = canonicalChain(chain) ?? unknown();
    kind = kindByChain(chain)!;
    let id = `${parent === '' ? '' : parent + '/'}${canonical[canonical.length - 1]}/${segments[i + 1]}`;
    if (kind.resolveId) id = await kind.resolveId(id, ctx);
    const isLast = i + 2 >= items;
    const entity = await ctx.tx.get(id);
    if (entity) id = entity.id;
    // Every ancestor must exist, and so must the item an action or revision list is on.
    else if (!(isLast && segments.length % 2 === 0)) throw notFound(kind.label);
    if (isLast && segments.length % 2 === 0) {
      return { kind, shape: 'item', id, parent, name: id.slice(id.lastIndexOf('/') + 1) };
    }
    if (isLast && tail !== undefined) {
      if (tail.toLowerCase() === 'revisions' && kind.kind === 'api') {
        return { kind, shape: 'revisions', id, parent, name: id.slice(id.lastIndexOf('/') + 1) };
      }
      return { kind, shape: 'action', id, parent, name: id.slice(id.lastIndexOf('/') + 1), action: tail };
    }
    parent = id;
  }
  // A collection: its chain is every even segment.
  const collectionChain = segments.filter((_, i) => i % 2 === 0);
  const collectionKind = kindByChain(collectionChain) ?? unknown();
  return { kind: collectionKind, shape: 'collection', id: '', parent, name: '' };
}
