/**
 * The step validate-jwt and validate-azure-ad-token share: read the token, decrypt it when it is a
 * JWE, then signature, lifetime, audience, issuer, the policy's own check and required claims
 * (token-checks.ts), keep it as a `Jwt` object, and turn a failure into the policy's error with
 * Azure's status and body (reference §1.5, §2.4).
 */
import { PolicyRuntimeError, type GatewayContext } from '../../pipeline/gateway-context.js';
import type { PolicyStep } from '../../pipeline/policy-module.js';
import type { Value } from '../../pipeline/value.js';
import { decryptToken, isEncrypted, type DecryptionKey } from './decryption-keys.js';
import { toJwtObject } from './jwt-object.js';
import { checkRequiredClaims, type RequiredClaim } from './required-claims.js';
import { checkAudience, checkIssuer, checkLifetime, checkSignature, decode, openIdConfigurations, sharedCacheRefresh, TokenRejected, type KeySources } from './token-checks.js';
import type { TokenSource } from './token-source.js';

/** Body message when failed-validation-error-message is absent: Azure's observed texts. */
const notPresentClientMessage = 'JWT not present.';
const invalidClientMessage = 'Invalid JWT.';

export interface TokenRules {
  extract: TokenSource;
  decryptionKeys: readonly DecryptionKey[];
  /** Where this request's signing keys come from. */
  keySources(gw: GatewayContext): KeySources;
  requireSigned(gw: GatewayContext): boolean;
  requireExpiration(gw: GatewayContext): boolean;
  clockSkewSeconds(gw: GatewayContext): number;
  audiences: readonly Value<string>[];
  issuers: readonly Value<string>[];
  claims: readonly RequiredClaim[];
  /** A check of the policy's own, after the issuer's; throws TokenRejected. */
  alsoCheck?: (payload: Record<string, unknown>) => void;
  outputVariable: string | undefined;
  status: Value<number>;
  errorMessage: Value<string> | undefined;
}

/** The policy step of `policy` validating tokens by `rules`. */
export function tokenValidationStep(policy: string, rules: TokenRules): PolicyStep {
  return async (gw) => {
    try {
      const received = rules.extract(gw);
      if (received === undefined) throw new TokenRejected('TokenNotPresent', 'JWT not present.');
      const token = isEncrypted(received) ? await decryptToken(received, rules.decryptionKeys) : received;
      const { header, payload } = decode(token);
      const sources = rules.keySources(gw);
      const configs = await openIdConfigurations(sources.openIdUrls, gw);
      await checkSignature(token, header, sources, configs, rules.requireSigned(gw), sharedCacheRefresh(gw));
      checkLifetime(payload, rules.requireExpiration(gw), rules.clockSkewSeconds(gw), gw.services.clock.now());
      checkAudience(payload, rules.audiences.map((a) => a.get(gw)));
      checkIssuer(payload, rules.issuers.map((i) => i.get(gw)), configs);
      rules.alsoCheck?.(payload);
      const claimFailure = checkRequiredClaims(rules.claims, payload, gw);
      if (claimFailure) throw new TokenRejected(claimFailure.reason, claimFailure.message);
      if (rules.outputVariable) gw.variables.set(rules.outputVariable, toJwtObject(header, payload));
      // What was accepted, never the token itself.
      if (gw.requestTrace) gw.traceStep(policy, { valid: true, encrypted: token !== received, issuer: payload.iss ?? null, subject: payload.sub ?? null, audience: payload.aud ?? null });
    } catch (err) {
      if (!(err instanceof TokenRejected)) throw err;
      if (gw.requestTrace) gw.traceStep(policy, { valid: false, reason: err.reason, message: err.message });
      const fallback = err.reason === 'TokenNotPresent' ? notPresentClientMessage : invalidClientMessage;
      const clientMessage = rules.errorMessage ? rules.errorMessage.get(gw) : fallback;
      throw new PolicyRuntimeError(policy, err.reason, err.message, rules.status.get(gw), clientMessage);
    }
  };
}
