/**
 * Who a management request comes from, read from its `Authorization` header: the administrator
 * (`Bearer {admin token}`, bearer-auth.ts), a user (`SharedAccessSignature {user token}`, Azure's
 * developer portal scheme; user-token.ts), or someone signing in with a password
 * (`Basic base64(email:password)`) or an identity provider's id token (`Aad id_token="…"`,
 * `AadB2C id_token="…"`), both accepted only by the sign-in exchange (sign-in-exchange.ts).
 * Failures are ARM's 401s, as the admin token's are.
 */
import type { EntityStore } from '../../core/entity-store.js';
import { ArmError } from './arm-error.js';
import { checkBearerToken } from './bearer-auth.js';
import type { OpenIdProviderType } from './identity-provider-authority.js';
import type { SecretSealer } from './secret-sealer.js';
import { anonymousVisitorId } from './anonymous-visitor-token.js';
import { checkToken } from './signed-token.js';
import { readTenantAccess } from './tenant-access-keys.js';

export type Principal =
  | { kind: 'admin' }
  /** `name`: the user's id as stored (below `users/`). */
  | { kind: 'user'; name: string }
  /** The developer portal's anonymous visitor (anonymous-visitor-token.ts): sees what the Guests group sees. */
  | { kind: 'visitor' }
  | { kind: 'password'; email: string; password: string }
  | { kind: 'idToken'; provider: OpenIdProviderType; token: string };

export interface AuthenticationDeps {
  adminToken: string;
  store: EntityStore;
  sealer: SecretSealer;
  now: () => Date;
  /** Resolves once the store holds the tenant access keys (and passwords are hashed). */
  ready: () => Promise<void>;
}

const invalidToken = (): ArmError => new ArmError(401, 'InvalidAuthenticationToken', 'The access token is invalid.');

/** Reads the caller; throws ArmError 401 when the credentials are missing, malformed or wrong. */
export async function authenticate(header: string | undefined, deps: AuthenticationDeps): Promise<Principal> {
  const scheme = /^\s*(\S+)\s+(\S.*?)\s*$/.exec(header ?? '');
  const name = scheme?.[1]!.toLowerCase();
  if (name === 'sharedaccesssignature') return principalOfToken(scheme![2]!, deps);
  if (name === 'basic') return readBasicCredentials(scheme![2]!);
  if (name === 'aad' || name === 'aadb2c') return readIdToken(name === 'aad' ? 'aad' : 'aadB2C', scheme![2]!);
  // Everything else, missing and malformed headers too, is answered as the admin token's are.
  checkBearerToken(header, deps.adminToken);
  return { kind: 'admin' };
}

/** The user (or the anonymous visitor) a token names, when its signature, expiry and user hold. */
async function principalOfToken(token: string, deps: AuthenticationDeps): Promise<Principal> {
  await deps.ready();
  const tenant = await readTenantAccess(deps.store, deps.sealer);
  // Turning tenant access off refuses every user token at once.
  if (!tenant || !tenant.enabled) throw invalidToken();
  const checked = checkToken(token, [tenant.primaryKey, tenant.secondaryKey], deps.now());
  if (!checked.valid) throw invalidToken();
  if (checked.expired) throw new ArmError(401, 'ExpiredAuthenticationToken', 'The access token has expired.');
  if (checked.id === anonymousVisitorId) return { kind: 'visitor' };
  const user = await deps.store.get(`users/${checked.id}`);
  // A deleted user's token, or a blocked or pending user's, opens nothing.
  if (!user || user.kind !== 'user' || user.body.state !== 'active') throw invalidToken();
  return { kind: 'user', name: user.id.slice(user.id.lastIndexOf('/') + 1) };
}

function readBasicCredentials(encoded: string): Principal {
  const text = /^[A-Za-z0-9+/]+={0,2}$/.test(encoded) ? Buffer.from(encoded, 'base64').toString('utf8') : '';
  const colon = text.indexOf(':');
  if (colon <= 0) throw new ArmError(401, 'AuthenticationFailed', "Authentication failed. The 'Authorization' header is provided in an invalid format.");
  return { kind: 'password', email: text.slice(0, colon), password: text.slice(colon + 1) };
}

/** `id_token="{jwt}"`, Azure's developer portal's form (the quotes may be left out). */
function readIdToken(provider: OpenIdProviderType, parameters: string): Principal {
  const match = /^id_token=(?:"([A-Za-z0-9_.-]+)"|([A-Za-z0-9_.-]+))$/.exec(parameters);
  if (!match) throw new ArmError(401, 'AuthenticationFailed', `Authentication failed. The 'Authorization' header must be '${provider === 'aad' ? 'Aad' : 'AadB2C'} id_token="{token}"'.`);
  return { kind: 'idToken', provider, token: match[1] ?? match[2]! };
}
