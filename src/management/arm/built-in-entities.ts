/**
 * Seeds what every service has from the start: the built-in groups (reference §5.1) and the
 * service's own settings entity, so the service resource has an ETag from the first GET.
 */
import type { EntityStore, EntityTransaction } from '../../core/entity-store.js';
import { builtInGroups } from './kinds/group.js';
import { serviceStoreId } from './service-resource.js';

/** Creates the missing built-ins in one transaction; a no-op when all exist. */
export async function seedBuiltIns(store: EntityStore, actor: string, now: () => Date): Promise<void> {
  const missing: typeof builtInGroups[number][] = [];
  for (const group of builtInGroups) if (!(await store.get(`groups/${group.name}`))) missing.push(group);
  const serviceMissing = !(await store.get(serviceStoreId));
  if (missing.length === 0 && !serviceMissing) return;
  await store.transaction(actor, (tx) => writeMissingBuiltIns(tx, now));
}

/** Creates the missing built-ins inside the caller's transaction (the folder import seeds an empty store this way). */
export async function writeMissingBuiltIns(tx: EntityTransaction, now: () => Date): Promise<void> {
  if (!(await tx.get(serviceStoreId))) {
    await tx.put({ kind: 'service', id: serviceStoreId, parent: '', body: { createdAtUtc: now().toISOString() } });
  }
  for (const group of builtInGroups) {
    if (!(await tx.get(`groups/${group.name}`))) await tx.put({ kind: 'group', id: `groups/${group.name}`, parent: '', body: group.body });
  }
}
