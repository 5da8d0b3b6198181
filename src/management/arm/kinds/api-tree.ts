/**
 * Copying and moving an API's subtree (operations, operation policies, API policy, schemas) between
 * store ids: a new revision or version copies its source's operations, and a release swaps the
 * current revision with another one.
 */
import type { EntityTransaction, StoredEntity } from '../../../core/entity-store.js';

/** Everything below an API that belongs to one revision (not its releases). */
export async function revisionChildren(tx: EntityTransaction, apiId: string): Promise<StoredEntity[]> {
  const out: StoredEntity[] = [];
  const operations = (await tx.list({ kind: 'operation', parent: apiId })).items;
  out.push(...(await tx.list({ kind: 'policy', parent: apiId })).items);
  // A GraphQL API's schema belongs to the revision like its operations (api-schema.ts).
  out.push(...(await tx.list({ kind: 'apiSchema', parent: apiId })).items);
  for (const op of operations) {
    out.push(op);
    out.push(...(await tx.list({ kind: 'policy', parent: op.id })).items);
  }
  return out;
}

/** Writes copies of `children` (from below `fromId`) below `toId`. */
export async function copyChildren(tx: EntityTransaction, children: readonly StoredEntity[], fromId: string, toId: string): Promise<void> {
  const rebase = (path: string): string => toId + path.slice(fromId.length);
  // Parents first: operations before their policies.
  const sorted = [...children].sort((a, b) => a.id.split('/').length - b.id.split('/').length);
  for (const child of sorted) {
    await tx.put({ kind: child.kind, id: rebase(child.id), parent: rebase(child.parent), body: child.body });
  }
}
