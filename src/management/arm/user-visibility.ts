/**
 * What one user may see, read from the store in the request's transaction: the user's groups
 * (the built-in `developers`, which holds every signed-in user in Azure, plus every group that
 * lists the user; for the developer portal's anonymous visitor, the built-in `guests` alone), the published products visible to one of them (`products/{p}/groups/{g}`),
 * and the APIs in those products. Names are kept in lower case: ids compare case-insensitively.
 */
import type { EntityTransaction, StoredEntity } from '../../core/entity-store.js';

const lastSegment = (id: string): string => id.slice(id.lastIndexOf('/') + 1).toLowerCase();

export interface UserVisibility {
  /** The user's name (the id below `users/`), lower case; '' for the anonymous visitor. */
  user: string;
  groups: ReadonlySet<string>;
  /** Published products visible to one of the user's groups, by lower-case name. */
  products: ReadonlyMap<string, StoredEntity>;
  /** APIs in those products, by lower-case name. */
  apis: ReadonlySet<string>;
}

/** Reads what the user named `user` may see; `undefined`: the anonymous visitor. */
export async function readUserVisibility(tx: Pick<EntityTransaction, 'list'>, user: string | undefined): Promise<UserVisibility> {
  const name = user?.toLowerCase() ?? '';
  const groups = new Set<string>([user === undefined ? 'guests' : 'developers']);
  if (user !== undefined) {
    for (const link of (await tx.list({ kind: 'groupUser' })).items) {
      if (lastSegment(link.id) === name) groups.add(lastSegment(link.parent));
    }
  }
  const shownTo = new Set<string>();
  for (const link of (await tx.list({ kind: 'productGroup' })).items) {
    if (groups.has(lastSegment(link.id))) shownTo.add(link.parent.toLowerCase());
  }
  const products = new Map<string, StoredEntity>();
  for (const product of (await tx.list({ kind: 'product', parent: '' })).items) {
    if (product.body.state === 'published' && shownTo.has(product.id.toLowerCase())) products.set(lastSegment(product.id), product);
  }
  const apis = new Set<string>();
  for (const link of (await tx.list({ kind: 'productApi' })).items) {
    if (products.has(lastSegment(link.parent))) apis.add(lastSegment(link.id));
  }
  return { user: name, groups, products, apis };
}
