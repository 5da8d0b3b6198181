/**
 * Comparable views of a store for the import/export tests: entities without ETags and write
 * times, date properties dropped, references reduced to service-relative paths (an import
 * writes full ids with its own service path; a pool's member ids and a backend's
 * certificateIds are kept as the folder wrote them, and export writes them service-relative), sealed secrets opened (each store seals with
 * its own key), gateway keys, user passwords (hashed, never exported) and the tenant access keys
 * dropped (each store makes its own), and a Key Vault named value's
 * `lastStatus` time dropped (when the vault was last read is the vault's state, not configuration).
 */
import type { EntityStore, StoredEntity } from '../../../src/core/entity-store.js';
import { relativeReference } from '../../../src/management/arm/arm-ids.js';
import type { SecretSealer } from '../../../src/management/arm/secret-sealer.js';
import { sealedFields } from '../../../src/management/apiops-sync/sealed-fields.js';

const dates = ['createdDate', 'registrationDate', 'createdDateTime', 'updatedDateTime', 'createdAtUtc', 'startDate', 'endDate'];
const references = ['scope', 'ownerId', 'apiVersionSetId', 'apiId'];

/** One entity, comparable across stores. */
export function comparable(e: StoredEntity, sealer: SecretSealer): { kind: string; id: string; parent: string; body: Record<string, unknown> } {
  const body: Record<string, unknown> = { ...e.body };
  for (const d of dates) delete body[d];
  for (const r of references) if (typeof body[r] === 'string') body[r] = relativeReference(body[r] as string);
  if (typeof body.certificateId === 'string') body.certificateId = relativeReference(body.certificateId);
  // A backend's references sit deeper: its pool's member ids and its certificateIds.
  const pool = body.pool as { services?: Array<{ id?: unknown }> } | undefined;
  if (Array.isArray(pool?.services)) body.pool = { ...pool, services: pool.services.map((m) => (typeof m.id === 'string' ? { ...m, id: relativeReference(m.id) } : m)) };
  const credentials = body.credentials as { certificateIds?: unknown[] } | undefined;
  if (Array.isArray(credentials?.certificateIds)) body.credentials = { ...credentials, certificateIds: credentials.certificateIds.map((c) => (typeof c === 'string' ? relativeReference(c) : c)) };
  // A gateway's keys are made by each store (never exported), like Azure's are per service.
  if (e.kind === 'gateway') {
    delete body.primaryKey;
    delete body.secondaryKey;
  }
  if (e.kind === 'user') delete body.password;
  for (const s of sealedFields(e.kind, body)) if (typeof body[s] === 'string' && body[s] !== '') body[s] = sealer.open(body[s] as string);
  const keyVault = body.keyVault as { lastStatus?: Record<string, unknown> } | undefined;
  if (keyVault?.lastStatus) body.keyVault = { ...keyVault, lastStatus: { ...keyVault.lastStatus, timeStampUtc: undefined } };
  return { kind: e.kind, id: e.id, parent: e.parent, body };
}

/** Every entity of the store, comparable, sorted by id. */
export async function storedState(store: EntityStore, sealer: SecretSealer): Promise<ReturnType<typeof comparable>[]> {
  return (await store.all()).filter((e) => e.kind !== 'tenantAccess').map((e) => comparable(e, sealer)).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Exact snapshot (ETags included) to prove a refused import changed nothing. */
export async function exactState(store: EntityStore): Promise<{ version: number; entities: StoredEntity[] }> {
  return { version: await store.version(), entities: await store.all() };
}
