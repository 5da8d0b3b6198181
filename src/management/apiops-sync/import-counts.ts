/**
 * What an import changed, per kind: resources created, updated (content differs), unchanged
 * (the folder has them as stored) and removed. Worked out by comparing the folder kinds' stored
 * entities before and after the import, so a resource written twice on the way (a new
 * revision's copied operations, a preset date) counts once, for what it ends as.
 */
import type { EntityTransaction, StoredEntity } from '../../core/entity-store.js';
import type { SecretSealer } from '../arm/secret-sealer.js';
import { sameContent } from './entity-content.js';
import { observabilityKinds } from './export-observability.js';

export interface ChangeCounts {
  created: number;
  updated: number;
  unchanged: number;
  removed: number;
}

/** Counts per stored kind (`api`, `operation`, `policy`, …); kinds with nothing to say are absent. */
export type CountsByKind = Record<string, ChangeCounts>;

/** The kinds an APIOps folder describes; anything else (the `service` settings) an import never touches. */
export const folderKinds = ['api', 'operation', 'policy', 'apiSchema', 'apiRelease', 'product', 'productApi', 'productGroup', 'subscription', 'namedValue', 'certificate', 'backend', 'apiVersionSet', 'policyFragment', 'group', 'user', 'groupUser', 'gateway', 'gatewayApi', 'gatewayHostnameConfiguration', 'gatewayCertificateAuthority', 'identityProvider', 'authorizationServer', 'openidConnectProvider', ...observabilityKinds];

/** Every stored entity of the folder kinds, by lower-cased id. */
export async function folderKindEntities(tx: EntityTransaction): Promise<Map<string, StoredEntity>> {
  const byId = new Map<string, StoredEntity>();
  for (const kind of folderKinds) for (const e of (await tx.list({ kind })).items) byId.set(e.id.toLowerCase(), e);
  return byId;
}

/** Compares the stored state before and after; `planned` are the (lower-cased) ids the folder describes. */
export function countChanges(before: ReadonlyMap<string, StoredEntity>, after: ReadonlyMap<string, StoredEntity>, planned: ReadonlySet<string>, sealer: SecretSealer): CountsByKind {
  const counts: CountsByKind = {};
  const add = (kind: string, field: keyof ChangeCounts): void => {
    counts[kind] ??= { created: 0, updated: 0, unchanged: 0, removed: 0 };
    counts[kind][field]++;
  };
  for (const [id, now] of after) {
    const was = before.get(id);
    if (!was) add(now.kind, 'created');
    else if (was.etag !== now.etag && !sameContent(was, now, sealer)) add(now.kind, 'updated');
    else if (planned.has(id)) add(now.kind, 'unchanged');
  }
  for (const [id, was] of before) if (!after.has(id)) add(was.kind, 'removed');
  return counts;
}

/** The sum over kinds. */
export function totalCounts(counts: CountsByKind): ChangeCounts {
  const total: ChangeCounts = { created: 0, updated: 0, unchanged: 0, removed: 0 };
  for (const c of Object.values(counts)) {
    total.created += c.created;
    total.updated += c.updated;
    total.unchanged += c.unchanged;
    total.removed += c.removed;
  }
  return total;
}
