/**
 * Signing in with an `aad` or `aadB2C` identity provider's id token (docs/user-access.md, the Aad
 * scheme): the token is checked (id-token-check.ts), its identity (`oid`, else `sub`) is looked
 * up in the users' `identities` (`{ provider: "Aad" | "AadB2C", id }`), and the user is answered
 * as the password exchange answers (sign-in-exchange.ts). A first sign-in creates the user from
 * the token's claims, active and without a password. An e-mail address that another user already
 * has is never linked silently: that is a 409. Failures count against the client address in the
 * same limiter as passwords.
 */
import { randomBytes } from 'node:crypto';
import type { EntityTransaction, StoredEntity } from '../../core/entity-store.js';
import { ArmError } from './arm-error.js';
import { checkIdToken } from './id-token-check.js';
import type { OpenIdProviderType } from './identity-provider-authority.js';
import type { ArmResponse } from './resource-operations.js';
import type { SignInDeps } from './sign-in-exchange.js';
import { checkActive, enabledTenantAccess, signedInAnswer, userByEmail } from './signed-in-user.js';

/** The `provider` of a user identity, per identity provider type (Azure's names). */
export const identityLabels: Readonly<Record<OpenIdProviderType, string>> = { aad: 'Aad', aadB2C: 'AadB2C' };

/** The stored `identityProviders/{type}` record, whatever the casing of its name, or undefined. */
export async function identityProviderRecord(store: SignInDeps['store'], type: OpenIdProviderType): Promise<StoredEntity | undefined> {
  return (await store.list({ kind: 'identityProvider', parent: '' })).items.find((e) => e.id.slice(e.id.lastIndexOf('/') + 1).toLowerCase() === type.toLowerCase());
}

/** An id token to check, and the nonce it must carry when the sign-in started with one. */
export interface ObtainedIdToken {
  token: string;
  nonce?: string;
}

/** Signs in the user an id token names (the header's, or one `obtain` gets with the record), creating them on their first sign-in. */
export async function signInWithIdToken(
  type: OpenIdProviderType,
  obtain: (record: StoredEntity) => Promise<ObtainedIdToken>,
  address: string,
  deps: SignInDeps,
): Promise<ArmResponse> {
  const client = `address:${address}`;
  const wait = deps.limiter.retryAfterSeconds([client]);
  if (wait > 0) {
    const refused = new ArmError(429, 'TooManyRequests', `Too many failed sign-in attempts; try again in ${wait} second(s).`);
    return { status: 429, headers: { 'retry-after': String(wait) }, body: refused.body() };
  }
  deps.limiter.attempt([client]);
  const record = await identityProviderRecord(deps.store, type);
  if (!record) throw new ArmError(401, 'AuthenticationFailed', `The identity provider '${type}' is not configured.`);
  // Checked first: a sign-in that cannot answer a token creates no user.
  await enabledTenantAccess(deps);
  const { token, nonce } = await obtain(record);
  const claims = await checkIdToken(token, type, record.body, deps, nonce);
  const identity = { provider: identityLabels[type], id: subjectOf(claims) };
  const user = await deps.store.transaction(`signin:${identity.provider}`, async (tx) => (await userWithIdentity(tx, identity)) ?? createUser(tx, identity, claims, deps.now()));
  checkActive(user);
  deps.limiter.succeeded(`identity:${identity.provider}:${identity.id}`, client);
  return signedInAnswer(user, deps);
}

/** The identity an id token names: `oid` (Entra ID's object id, stable across applications), else `sub`. */
function subjectOf(claims: Record<string, unknown>): string {
  for (const name of ['oid', 'sub']) {
    const value = claims[name];
    if (typeof value === 'string' && value !== '' && value.length <= 256) return value;
  }
  throw new ArmError(400, 'IdentityClaimMissing', "The id token names no subject: it carries neither an 'oid' nor a 'sub' claim.");
}

/** The user whose `identities` hold `identity` (provider compared case-insensitively), or undefined. */
async function userWithIdentity(tx: EntityTransaction, identity: { provider: string; id: string }): Promise<StoredEntity | undefined> {
  return (await tx.list({ kind: 'user', parent: '' })).items.find((user) =>
    Array.isArray(user.body.identities) &&
    user.body.identities.some((i: unknown) => {
      const held = i as { provider?: unknown; id?: unknown };
      return typeof held?.provider === 'string' && held.provider.toLowerCase() === identity.provider.toLowerCase() && held.id === identity.id;
    }),
  );
}

const emailShape = /^[^\s@]{1,64}@[^\s@]+\.[^\s@]+$/;

/** A claim as text of at most `max` characters, or undefined. */
function textClaim(claims: Record<string, unknown>, name: string, max: number): string | undefined {
  const value = claims[name];
  return typeof value === 'string' && value.trim() !== '' ? value.trim().slice(0, max) : undefined;
}

/** Creates the user of a first sign-in from the token's claims; refuses an e-mail another user has. */
async function createUser(tx: EntityTransaction, identity: { provider: string; id: string }, claims: Record<string, unknown>, now: Date): Promise<StoredEntity> {
  const email = [textClaim(claims, 'email', 254), textClaim(claims, 'preferred_username', 254)].find((v) => v !== undefined && emailShape.test(v));
  if (!email) {
    throw new ArmError(400, 'IdentityClaimMissing', "The id token carries no e-mail address: neither its 'email' nor its 'preferred_username' claim looks like one, and Gatehouse needs one to create the user (ask for the 'email' scope).");
  }
  if (await userByEmail(tx, email)) {
    throw new ArmError(409, 'Conflict', `A user with the e-mail address '${email}' already exists and signs in another way. Gatehouse does not link accounts by e-mail; an administrator can add the identity { "provider": "${identity.provider}", "id": "${identity.id}" } to that user's 'identities'.`);
  }
  const name = textClaim(claims, 'name', 200)?.split(/\s+/) ?? [];
  const firstName = textClaim(claims, 'given_name', 100) ?? name[0]?.slice(0, 100) ?? '-';
  const lastName = textClaim(claims, 'family_name', 100) ?? (name.length > 1 ? name.slice(1).join(' ').slice(0, 100) : '-');
  // Azure's user ids are 24 hexadecimal digits.
  const id = randomBytes(12).toString('hex');
  return tx.put({
    kind: 'user',
    id: `users/${id}`,
    parent: '',
    body: { email, firstName, lastName, state: 'active', registrationDate: now.toISOString(), identities: [identity] },
  });
}
