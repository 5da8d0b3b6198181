/**
 * Checks an id token from an `aad` or `aadB2C` identity provider (docs/user-access.md, the Aad
 * scheme) with validate-jwt's own checks (src/policies/validate-jwt/token-checks.ts): the
 * signature against the keys the provider's discovery document publishes (`alg: none` refused;
 * an unknown `kid` pulls the keys again, at most once per 5 minutes), `iss` equal to the
 * document's issuer, `aud` equal to the record's `clientId`, `exp` required and `nbf`, with one
 * minute of skew, and `nonce` when the caller expects one. A refusal is a 401
 * `AuthenticationFailed` naming the check.
 */
import type { JWTPayload } from 'jose';
import type { OpenIdConfigCache } from '../../policies/validate-jwt/openid-config-cache.js';
import { checkAudience, checkIssuer, checkLifetime, checkSignature, decode, TokenRejected } from '../../policies/validate-jwt/token-checks.js';
import { ArmError } from './arm-error.js';
import { discoveryUrl, type OpenIdProviderType } from './identity-provider-authority.js';

/** Tolerance on `exp` and `nbf` for clocks that differ a little. */
export const idTokenSkewSeconds = 60;

export interface IdTokenCheckDeps {
  /** Discovery documents and keys, per provider (a bounded cache with 5 s fetches). */
  discovery: OpenIdConfigCache;
  now: () => Date;
}

const refused = (why: string): ArmError => new ArmError(401, 'AuthenticationFailed', `The id token was refused: ${why}`);

/** The claims of `token`, once every check holds for the provider `record` of `type`; throws ArmError 401. */
export async function checkIdToken(
  token: string,
  type: OpenIdProviderType,
  record: Readonly<Record<string, unknown>>,
  deps: IdTokenCheckDeps,
  expectedNonce?: string,
): Promise<JWTPayload> {
  const url = discoveryUrl(type, record);
  const nowMs = deps.now().getTime();
  try {
    const { header, payload } = decode(token);
    const config = await deps.discovery.get(url, nowMs);
    const configs = [config];
    await checkSignature(token, header, { staticKeys: [], openIdUrls: [url] }, configs, true, (u) => deps.discovery.refreshForUnknownKey(u, nowMs));
    checkLifetime(payload, true, idTokenSkewSeconds, nowMs);
    if (typeof record.clientId !== 'string' || record.clientId === '') throw new TokenRejected('TokenAudienceNotAllowed', `the identity provider '${type}' has no clientId.`);
    checkAudience(payload, [record.clientId]);
    // validate-jwt lets a token through when nothing names an issuer; here the document must.
    if (configs[0]!.issuer === undefined) throw new TokenRejected('TokenIssuerNotAllowed', `the discovery document at '${url}' names no issuer.`);
    checkIssuer(payload, [], configs);
    if (expectedNonce !== undefined && payload.nonce !== expectedNonce) throw new TokenRejected('NonceMismatch', 'its nonce is not the one the sign-in started with.');
    return payload;
  } catch (err) {
    if (err instanceof TokenRejected) throw refused(err.message);
    throw err;
  }
}
