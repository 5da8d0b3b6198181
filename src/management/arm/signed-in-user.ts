/**
 * What every sign-in (password, id token, authorization code) does once it knows the user
 * (docs/user-access.md#the-sign-in-exchange): refuse a user who is not active, and answer the
 * user's id and an 8-hour user token, in `Ocp-Apim-Sas-Token` and in the body.
 */
import type { EntityStore, StoredEntity } from '../../core/entity-store.js';
import { ArmError } from './arm-error.js';
import type { ArmResponse } from './resource-operations.js';
import type { SecretSealer } from './secret-sealer.js';
import { readTenantAccess } from './tenant-access-keys.js';
import { userToken } from './user-token.js';

/** How long a token from the exchange lasts (Gatehouse's choice; the portal signs in again after). */
export const signInTokenLifetimeMs = 8 * 60 * 60 * 1000;

/** Refuses a user who may not sign in (401 naming the state), as the password exchange does. */
export function checkActive(user: StoredEntity): void {
  if (user.body.state !== 'active') throw new ArmError(401, 'AuthenticationFailed', `The user account is ${String(user.body.state)}, not active.`);
}

/** The exchange's answer for a user who signed in: a user token in `Ocp-Apim-Sas-Token` and the body. */
export async function signedInAnswer(user: StoredEntity, deps: { store: EntityStore; sealer: SecretSealer; now: () => Date }): Promise<ArmResponse> {
  const tenant = await enabledTenantAccess(deps);
  const name = user.id.slice(user.id.lastIndexOf('/') + 1);
  // Cut to the minute, as the token carries it.
  const expiry = new Date(Math.floor((deps.now().getTime() + signInTokenLifetimeMs) / 60_000) * 60_000);
  const token = userToken(name, tenant, 'primary', expiry);
  return {
    status: 200,
    headers: { 'ocp-apim-sas-token': `token="${token}",refresh="true"`, 'cache-control': 'no-store' },
    body: { id: name, value: token, expiry: expiry.toISOString() },
  };
}

/** The user whose e-mail is `email` (compared case-insensitively), or undefined. */
export async function userByEmail(store: Pick<EntityStore, 'list'>, email: string): Promise<StoredEntity | undefined> {
  const wanted = email.toLowerCase();
  return (await store.list({ kind: 'user', parent: '' })).items.find((u) => typeof u.body.email === 'string' && u.body.email.toLowerCase() === wanted);
}

/** The tenant access keys, when user tokens are turned on; else the 401 every sign-in answers. */
export async function enabledTenantAccess(deps: { store: EntityStore; sealer: SecretSealer }): Promise<NonNullable<Awaited<ReturnType<typeof readTenantAccess>>>> {
  const tenant = await readTenantAccess(deps.store, deps.sealer);
  if (!tenant?.enabled) throw new ArmError(401, 'AuthenticationFailed', 'User tokens are turned off (tenant/access is not enabled).');
  return tenant;
}
