/**
 * The password sign-in exchange, as Azure's developer portal does it: `GET …/identity` with
 * `Authorization: Basic base64(email:password)` answers the user's id and a user token, in the
 * `Ocp-Apim-Sas-Token` header (`token="…",refresh="true"`) and in the body. The same path with
 * a user token answers who the token names. Failed attempts are limited per account and per
 * client address (sign-in-limiter.ts); a sign-in costs one password derivation whether the
 * e-mail exists or not (password-hash.ts). `Aad id_token="…"` and `AadB2C id_token="…"` sign in
 * through an identity provider (external-sign-in.ts). docs/user-access.md.
 */
import type { EntityStore } from '../../core/entity-store.js';
import type { OpenIdConfigCache } from '../../policies/validate-jwt/openid-config-cache.js';
import { ArmError } from './arm-error.js';
import { signInWithIdToken } from './external-sign-in.js';
import { checkPasswordLength, isPasswordHash, verifyPassword } from './password-hash.js';
import type { Principal } from './request-principal.js';
import type { ArmResponse } from './resource-operations.js';
import type { SecretSealer } from './secret-sealer.js';
import type { SignInLimiter } from './sign-in-limiter.js';
import { checkActive, signedInAnswer, userByEmail } from './signed-in-user.js';

export interface SignInDeps {
  store: EntityStore;
  sealer: SecretSealer;
  now: () => Date;
  limiter: SignInLimiter;
  /** Identity providers' discovery documents and keys. */
  discovery: OpenIdConfigCache;
}

/** Whether a request addresses the exchange (`…/service/{name}/identity`). */
export function isIdentityRequest(segments: readonly string[]): boolean {
  return segments.length === 1 && segments[0]!.toLowerCase() === 'identity';
}

const badCredentials = (): ArmError => new ArmError(401, 'AuthenticationFailed', 'The e-mail address or password is incorrect.');

/** Answers `GET …/identity` for `principal` coming from `address`. */
export async function handleIdentityRequest(method: string, principal: Principal, address: string, deps: SignInDeps): Promise<ArmResponse> {
  if (method !== 'GET' && method !== 'HEAD') throw new ArmError(405, 'MethodNotAllowed', `The method '${method}' is not allowed on this resource.`);
  if (principal.kind === 'user') return { status: 200, headers: {}, body: { id: principal.name } };
  if (principal.kind === 'admin') throw new ArmError(404, 'NotFound', 'The admin token names no user: …/identity answers Basic credentials, an id token or a user token.');
  if (principal.kind === 'visitor') throw new ArmError(404, 'NotFound', 'The anonymous visitor is no user: …/identity answers Basic credentials, an id token or a user token.');
  if (principal.kind === 'idToken') return signInWithIdToken(principal.provider, async () => ({ token: principal.token }), address, deps);
  checkPasswordLength(principal.password);
  const account = `account:${principal.email.toLowerCase()}`;
  const client = `address:${address}`;
  const wait = deps.limiter.retryAfterSeconds([account, client]);
  if (wait > 0) {
    const refused = new ArmError(429, 'TooManyRequests', `Too many failed sign-in attempts; try again in ${wait} second(s).`);
    return { status: 429, headers: { 'retry-after': String(wait) }, body: refused.body() };
  }
  deps.limiter.attempt([account, client]);
  const user = await userByEmail(deps.store, principal.email);
  const stored = user && isPasswordHash(user.body.password) ? user.body.password : undefined;
  if (!(await verifyPassword(principal.password, stored)) || !user) throw badCredentials();
  checkActive(user);
  deps.limiter.succeeded(account, client);
  return signedInAnswer(user, deps);
}
