/**
 * The tenant access keys as the rest of the management API uses them: made when the service is
 * first served, read (opened) to sign and check user tokens. The resource itself, as clients
 * see it, is kinds/tenant-access.ts.
 */
import type { EntityStore, EntityTransaction } from '../../core/entity-store.js';
import type { SecretSealer } from './secret-sealer.js';
import { generateSigningKey } from './signed-token.js';

/** Store id of the tenant access resource. */
export const tenantAccessStoreId = 'tenant/access';

/** Azure's `principalId` of the tenant access resource. */
export const tenantPrincipalId = 'integration';

/**
 * A new tenant access body: enabled, with two fresh keys. Gatehouse's own default: Azure starts
 * with direct access disabled, but here the developer portal's user tokens depend on it.
 */
export function freshTenantAccessBody(sealer: SecretSealer): Record<string, unknown> {
  return { enabled: true, primaryKey: sealer.seal(generateSigningKey()), secondaryKey: sealer.seal(generateSigningKey()) };
}

/** Creates the tenant access resource when the store has none (a no-op otherwise). */
export async function ensureTenantAccess(store: EntityStore, sealer: SecretSealer, actor: string): Promise<void> {
  if (await store.get(tenantAccessStoreId)) return;
  await store.transaction(actor, async (tx) => {
    if (!(await tx.get(tenantAccessStoreId))) await tx.put({ kind: 'tenantAccess', id: tenantAccessStoreId, parent: '', body: freshTenantAccessBody(sealer) });
  });
}

/** What signs and checks user tokens. */
export interface TenantAccess {
  enabled: boolean;
  primaryKey: string;
  secondaryKey: string;
}

/** The tenant access keys, opened; undefined before the service was first served. */
export async function readTenantAccess(tx: Pick<EntityTransaction, 'get'>, sealer: SecretSealer): Promise<TenantAccess | undefined> {
  const entity = await tx.get(tenantAccessStoreId);
  if (!entity) return undefined;
  return { enabled: entity.body.enabled === true, primaryKey: sealer.open(String(entity.body.primaryKey)), secondaryKey: sealer.open(String(entity.body.secondaryKey)) };
}
