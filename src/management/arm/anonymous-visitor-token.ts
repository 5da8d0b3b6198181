/**
 * The developer portal's anonymous visitor. Azure's portal shows a visitor who has not signed in
 * the products and APIs of the built-in Guests group. Gatehouse's portal reads them through the
 * management API like everything else, with a token signed by the tenant access keys for the
 * reserved id `*visitor`: `*` is refused in user names (kinds/user.ts), so no user can hold
 * it and no `users/{id}/token` call can make one. The token opens only the catalogue's read
 * routes (user-authorization.ts) for what Guests may see. Only the process that holds the store
 * mints it (src/main wires it into the portal); it is never handed to a browser.
 */
import type { EntityStore } from '../../core/entity-store.js';
import type { SecretSealer } from './secret-sealer.js';
import { signToken } from './signed-token.js';
import { ensureTenantAccess, readTenantAccess } from './tenant-access-keys.js';

/** The token id of the anonymous visitor. */
export const anonymousVisitorId = '*visitor';

/** How long a visitor token lasts; the portal mints a new one before then, and after a key is regenerated. */
export const visitorTokenLifetimeMs = 60 * 60 * 1000;

/** A fresh visitor token (`SharedAccessSignature` scheme value), or undefined while tenant access is turned off. */
export async function mintAnonymousVisitorToken(store: EntityStore, sealer: SecretSealer, now: Date): Promise<string | undefined> {
  await ensureTenantAccess(store, sealer, 'admin');
  const tenant = await readTenantAccess(store, sealer);
  if (!tenant?.enabled) return undefined;
  return signToken(anonymousVisitorId, tenant.primaryKey, new Date(now.getTime() + visitorTokenLifetimeMs));
}
