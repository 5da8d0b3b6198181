/**
 * The checks validate-jwt and validate-azure-ad-token make of a token, in the order of Azure's
 * token handler: signature (keys given inline or published by OpenID discovery), lifetime,
 * audience, issuer. A failure is a TokenRejected with the LastError reason and message of
 * reference §2.4; the policy turns it into its own error.
 */
import type { KeyObject } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader, type JWTPayload, type ProtectedHeaderParameters } from 'jose';
import type { GatewayContext } from '../../pipeline/gateway-context.js';
import { sharedOpenIdConfigCache, type OpenIdConfiguration } from './openid-config-cache.js';
import type { SigningKey } from './signing-keys.js';
import { supportedAlgorithms, verifiesWithAny } from './verify-signature.js';

/** A validation failure: LastError reason and message. */
export class TokenRejected extends Error {
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

/** Where a token's signing keys come from. */
export interface KeySources {
  staticKeys: readonly SigningKey[];
  openIdUrls: readonly string[];
}

/** Decodes a compact JWS without verifying it. */
export function decode(token: string): { header: ProtectedHeaderParameters; payload: JWTPayload } {
  try {
    return { header: decodeProtectedHeader(token), payload: decodeJwt(token) };
  } catch (err) {
    throw new TokenRejected('JwtInvalid', (err as Error).message);
  }
}

/** The discovery documents of `urls`, cached (openid-config-cache.ts). */
export function openIdConfigurations(urls: readonly string[], gw: GatewayContext): Promise<OpenIdConfiguration[]> {
  return Promise.all(urls.map((url) => sharedOpenIdConfigCache.get(url, gw.services.clock.now())));
}

/** Pulls a discovery endpoint again because a token named a key it does not hold (throttled by the cache). */
export type UnknownKeyRefresh = (url: string) => Promise<OpenIdConfiguration>;

/** The gateway's refresh: the shared cache, on the gateway's clock. */
export function sharedCacheRefresh(gw: GatewayContext): UnknownKeyRefresh {
  return (url) => sharedOpenIdConfigCache.refreshForUnknownKey(url, gw.services.clock.now());
}

/** Verifies the signature with a key whose `kid` matches (or any key when none is named). */
export async function checkSignature(
  token: string,
  header: ProtectedHeaderParameters,
  sources: KeySources,
  configs: OpenIdConfiguration[],
  requireSigned: boolean,
  refreshForUnknownKey: UnknownKeyRefresh,
): Promise<void> {
  const alg = header.alg ?? 'none';
  if (alg === 'none' || token.endsWith('.')) {
    if (!requireSigned) return;
    throw new TokenRejected('TokenSignatureInvalid', 'Unable to validate signature, token does not have a signature. Access denied.');
  }
  if (!supportedAlgorithms.includes(alg)) {
    throw new TokenRejected('TokenSignatureInvalid', `Signature validation failed. The algorithm '${alg}' is not supported. Access denied.`);
  }
  const kid = header.kid;
  const published = (list: OpenIdConfiguration[]) => list.flatMap((c) => c.keys);
  let keys: SigningKey[] = [...sources.staticKeys, ...published(configs)];
  if (kid !== undefined && !keys.some((k) => k.kid === kid) && sources.openIdUrls.length > 0) {
    // An unknown kid may be a key the issuer rolled in since we fetched: pull again (throttled).
    const fresh = await Promise.all(sources.openIdUrls.map((url) => refreshForUnknownKey(url)));
    configs.splice(0, configs.length, ...fresh);
    keys = [...sources.staticKeys, ...published(configs)];
  }
  let candidates: KeyObject[];
  if (kid !== undefined && keys.some((k) => k.kid === kid)) candidates = keys.filter((k) => k.kid === kid).map((k) => k.key);
  else candidates = keys.filter((k) => k.kid === undefined || kid === undefined).map((k) => k.key);
  if (candidates.length === 0) {
    const failed = configs.find((c) => c.error !== undefined && c.keys.length === 0);
    const detail = failed ? ` Signing keys could not be retrieved: ${failed.error}` : '';
    const which = kid === undefined ? 'No signing keys are configured.' : `Unable to match key: kid: '${kid}'.`;
    throw new TokenRejected('TokenSignatureKeyNotFound', `Signature validation failed. ${which}${detail} Access denied.`);
  }
  if (!(await verifiesWithAny(token, candidates))) {
    throw new TokenRejected('TokenSignatureInvalid', 'Signature validation failed. Access denied.');
  }
}

/** `exp` (required unless told otherwise) and `nbf`, with `skewSeconds` of tolerance. */
export function checkLifetime(payload: JWTPayload, requireExpiration: boolean, skewSeconds: number, nowMs: number): void {
  const now = nowMs / 1000;
  const iso = (seconds: number) => new Date(seconds * 1000).toISOString();
  if (payload.exp === undefined) {
    if (requireExpiration) throw new TokenRejected('JwtInvalid', 'Lifetime validation failed. The token is missing an Expiration Time.');
  } else if (typeof payload.exp !== 'number') {
    throw new TokenRejected('JwtInvalid', "The 'exp' claim is not a number.");
  } else if (now > payload.exp + skewSeconds) {
    throw new TokenRejected(
      'TokenExpired',
      `Lifetime validation failed. The token is expired. ValidTo: '${iso(payload.exp)}', Current time: '${iso(now)}'. Access denied.`,
    );
  }
  if (payload.nbf !== undefined) {
    if (typeof payload.nbf !== 'number') throw new TokenRejected('JwtInvalid', "The 'nbf' claim is not a number.");
    if (now < payload.nbf - skewSeconds) {
      throw new TokenRejected(
        'JwtInvalid',
        `Lifetime validation failed. The token is not yet valid. ValidFrom: '${iso(payload.nbf)}', Current time: '${iso(now)}'.`,
      );
    }
  }
}

/** One of the token's audiences must be allowed (no check when none are configured). */
export function checkAudience(payload: JWTPayload, allowed: readonly string[]): void {
  if (allowed.length === 0) return;
  const audiences = payload.aud === undefined ? [] : Array.isArray(payload.aud) ? payload.aud : [payload.aud];
  if (audiences.some((a) => allowed.includes(a))) return;
  const shown = audiences.length === 0 ? 'empty' : audiences.join(', ');
  throw new TokenRejected('TokenAudienceNotAllowed', `Audience validation failed. Audiences: '${shown}'. Access denied.`);
}

/** The issuer must be configured or named by a discovery document (no check when neither). */
export function checkIssuer(payload: JWTPayload, configured: readonly string[], configs: readonly OpenIdConfiguration[]): void {
  // Discovery documents name their issuer; multi-tenant Entra ID templates it with {tenantid}.
  const tid = typeof payload.tid === 'string' ? payload.tid : undefined;
  const discovered = configs
    .map((c) => c.issuer)
    .filter((i): i is string => i !== undefined)
    .map((i) => (tid !== undefined ? i.replace(/\{tenantid\}/gi, tid) : i));
  const allowed = [...configured, ...discovered];
  if (allowed.length === 0) return;
  if (typeof payload.iss === 'string' && allowed.includes(payload.iss)) return;
  throw new TokenRejected('TokenIssuerNotAllowed', `Issuer validation failed. Issuer: '${payload.iss ?? 'empty'}'. Access denied.`);
}
