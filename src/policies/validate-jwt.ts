/**
 * `validate-jwt`: requires a valid JWT from a header, a query parameter or an expression
 * (reference §3 Access / auth; LastError reasons and messages §2.4; 401 `Invalid JWT.` §1.5).
 * Checks run in the order of Azure's token handler: signature, lifetime, audience, issuer, then
 * required claims. Signing keys come from `issuer-signing-keys` and `openid-config` endpoints.
 */
import type { KeyObject } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader, type JWTPayload, type ProtectedHeaderParameters } from 'jose';
import { PolicyRuntimeError, type GatewayContext } from '../pipeline/gateway-context.js';
import type { PolicyCompileContext, PolicyModule } from '../pipeline/policy-module.js';
import type { Value } from '../pipeline/value.js';
import { attribute, childElements, type XmlElement } from '../pipeline/xml.js';
import { toJwtObject } from './validate-jwt/jwt-object.js';
import { sharedOpenIdConfigCache, type OpenIdConfiguration } from './validate-jwt/openid-config-cache.js';
import { checkRequiredClaims, readRequiredClaims, type RequiredClaim } from './validate-jwt/required-claims.js';
import { readSigningKeys, type SigningKey } from './validate-jwt/signing-keys.js';
import { supportedAlgorithms, verifiesWithAny } from './validate-jwt/verify-signature.js';

/** Body message when failed-validation-error-message is absent: Azure's observed texts. */
const notPresentClientMessage = 'JWT not present.';
const invalidClientMessage = 'Invalid JWT.';

const childNames = ['openid-config', 'issuer-signing-keys', 'decryption-keys', 'audiences', 'issuers', 'required-claims'];

interface Settings {
  staticKeys: SigningKey[];
  openIdUrls: string[];
  audiences: Value<string>[];
  issuers: Value<string>[];
  claims: RequiredClaim[];
}

/** A validation failure: LastError reason and message. */
class TokenRejected extends Error {
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

export const validateJwt: PolicyModule = {
  name: 'validate-jwt',
  sections: ['inbound'],
  attributes: {
    'header-name': { type: 'string', expression: true },
    'query-parameter-name': { type: 'string', expression: true },
    'token-value': { type: 'string', expression: true },
    'failed-validation-httpcode': { type: 'integer', default: 401, min: 100, max: 599, expression: true },
    'failed-validation-error-message': { type: 'string', expression: true },
    'require-expiration-time': { type: 'boolean', default: true, expression: true },
    'require-scheme': { type: 'string', expression: true },
    'require-signed-tokens': { type: 'boolean', default: true, expression: true },
    'clock-skew': { type: 'integer', default: 0, min: 0, expression: true },
    'output-token-variable-name': { type: 'string' },
  },
  compile(element, ctx) {
    const sources = ['header-name', 'query-parameter-name', 'token-value'].filter((n) => attribute(element, n) !== undefined);
    if (sources.length !== 1) {
      ctx.fail(element, "Exactly one of the 'header-name', 'query-parameter-name' or 'token-value' attributes must be specified.");
    }
    const headerName = ctx.string(element, 'header-name');
    const queryName = ctx.string(element, 'query-parameter-name');
    const tokenValue = ctx.string(element, 'token-value');
    const status = ctx.integer(element, 'failed-validation-httpcode')!;
    const errorMessage = ctx.string(element, 'failed-validation-error-message');
    const requireExpiration = ctx.boolean(element, 'require-expiration-time')!;
    const requireScheme = ctx.string(element, 'require-scheme');
    const requireSigned = ctx.boolean(element, 'require-signed-tokens')!;
    const clockSkew = ctx.integer(element, 'clock-skew')!;
    const outputVariable = ctx.string(element, 'output-token-variable-name')?.constant;
    const settings = readSettings(element, ctx);

    const extract = (gw: GatewayContext): string | undefined => {
      if (tokenValue) return tokenValue.get(gw).trim() || undefined;
      if (queryName) return gw.request.url.queryValue(queryName.get(gw))?.trim() || undefined;
      const name = headerName!.get(gw);
      const value = gw.request.headers.get(name)?.trim();
      if (!value) return undefined;
      const space = value.indexOf(' ');
      const scheme = space === -1 ? '' : value.slice(0, space);
      const rest = space === -1 ? value : value.slice(space + 1).trim();
      // Azure honours require-scheme on the Authorization header only; a token sent under
      // another scheme counts as no token at all.
      const required = requireScheme?.get(gw).trim();
      if (required && name.toLowerCase() === 'authorization') {
        return scheme.toLowerCase() === required.toLowerCase() && rest !== '' ? rest : undefined;
      }
      return scheme.toLowerCase() === 'bearer' ? rest || undefined : value;
    };

    return async (gw) => {
      try {
        const token = extract(gw);
        if (token === undefined) throw new TokenRejected('TokenNotPresent', 'JWT not present.');
        const { header, payload } = decode(token);
        const configs = await Promise.all(settings.openIdUrls.map((url) => sharedOpenIdConfigCache.get(url, gw.services.clock.now())));
        await checkSignature(token, header, settings, configs, requireSigned.get(gw), gw);
        checkLifetime(payload, requireExpiration.get(gw), clockSkew.get(gw), gw.services.clock.now());
        checkAudience(payload, settings.audiences.map((a) => a.get(gw)));
        checkIssuer(payload, settings.issuers.map((i) => i.get(gw)), configs);
        const claimFailure = checkRequiredClaims(settings.claims, payload, gw);
        if (claimFailure) throw new TokenRejected(claimFailure.reason, claimFailure.message);
        if (outputVariable) gw.variables.set(outputVariable, toJwtObject(header, payload));
        // The token itself stays out of the trace: only what was checked.
        if (gw.requestTrace) gw.traceStep('validate-jwt', { message: 'JWT was validated.', algorithm: header.alg ?? null, issuer: payload.iss ?? null, audience: payload.aud ?? null });
      } catch (err) {
        if (!(err instanceof TokenRejected)) throw err;
        if (gw.requestTrace) gw.traceStep('validate-jwt', { message: 'JWT was rejected.', reason: err.reason, error: err.message });
        const fallback = err.reason === 'TokenNotPresent' ? notPresentClientMessage : invalidClientMessage;
        const clientMessage = errorMessage ? errorMessage.get(gw) : fallback;
        throw new PolicyRuntimeError('validate-jwt', err.reason, err.message, status.get(gw), clientMessage);
      }
    };
  },
};

function readSettings(element: XmlElement, ctx: PolicyCompileContext): Settings {
  const settings: Settings = { staticKeys: [], openIdUrls: [], audiences: [], issuers: [], claims: [] };
  const seen = new Set<string>();
  for (const child of childElements(element)) {
    if (!childNames.includes(child.name)) ctx.fail(child, `The element '${child.name}' is not allowed in 'validate-jwt'.`);
    if (child.name !== 'openid-config' && seen.has(child.name)) ctx.fail(child, `The element '${child.name}' may appear only once in 'validate-jwt'.`);
    seen.add(child.name);
    switch (child.name) {
      case 'openid-config': {
        for (const attr of child.attributes) if (attr.name !== 'url') ctx.fail(attr, `The '${attr.name}' attribute is not declared.`);
        if (!attribute(child, 'url')) ctx.fail(child, "The required attribute 'url' is missing.");
        const url = ctx.string(child, 'url', { type: 'string', required: true })!.constant!.trim();
        if (!/^https?:\/\//i.test(url) || !URL.canParse(url)) ctx.fail(child, `The OpenID configuration URL '${url}' is not an absolute http(s) URL.`);
        settings.openIdUrls.push(url);
        break;
      }
      case 'issuer-signing-keys':
        settings.staticKeys = readSigningKeys(child, ctx);
        break;
      case 'decryption-keys':
        ctx.fail(child, 'Encrypted tokens (decryption-keys) are not supported by Gatehouse yet.');
        break;
      case 'audiences':
        settings.audiences = texts(child, 'audience', ctx);
        break;
      case 'issuers':
        settings.issuers = texts(child, 'issuer', ctx);
        break;
      case 'required-claims':
        settings.claims = readRequiredClaims(child, ctx);
        break;
    }
  }
  return settings;
}

function texts(list: XmlElement, name: string, ctx: PolicyCompileContext): Value<string>[] {
  const out: Value<string>[] = [];
  for (const child of childElements(list)) {
    if (child.name !== name) ctx.fail(child, `The element '${child.name}' is not allowed in '${list.name}'; expected '${name}'.`);
    out.push(ctx.text(child));
  }
  if (out.length === 0) ctx.fail(list, `At least one '${name}' element is required in '${list.name}'.`);
  return out;
}

function decode(token: string): { header: ProtectedHeaderParameters; payload: JWTPayload } {
  if (token.split('.').length === 5) throw new TokenRejected('JwtInvalid', 'Encrypted tokens (JWE) are not supported.');
  try {
    return { header: decodeProtectedHeader(token), payload: decodeJwt(token) };
  } catch (err) {
    throw new TokenRejected('JwtInvalid', (err as Error).message);
  }
}

async function checkSignature(
  token: string,
  header: ProtectedHeaderParameters,
  settings: Settings,
  configs: OpenIdConfiguration[],
  requireSigned: boolean,
  gw: GatewayContext,
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
  let keys: SigningKey[] = [...settings.staticKeys, ...published(configs)];
  if (kid !== undefined && !keys.some((k) => k.kid === kid) && settings.openIdUrls.length > 0) {
    // An unknown kid may be a key the issuer rolled in since we fetched: pull again (throttled).
    const now = gw.services.clock.now();
    const fresh = await Promise.all(settings.openIdUrls.map((url) => sharedOpenIdConfigCache.refreshForUnknownKey(url, now)));
    configs.splice(0, configs.length, ...fresh);
    keys = [...settings.staticKeys, ...published(configs)];
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

function checkLifetime(payload: JWTPayload, requireExpiration: boolean, skewSeconds: number, nowMs: number): void {
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

function checkAudience(payload: JWTPayload, allowed: string[]): void {
  if (allowed.length === 0) return;
  const audiences = payload.aud === undefined ? [] : Array.isArray(payload.aud) ? payload.aud : [payload.aud];
  if (audiences.some((a) => allowed.includes(a))) return;
  const shown = audiences.length === 0 ? 'empty' : audiences.join(', ');
  throw new TokenRejected('TokenAudienceNotAllowed', `Audience validation failed. Audiences: '${shown}'. Access denied.`);
}

function checkIssuer(payload: JWTPayload, configured: string[], configs: OpenIdConfiguration[]): void {
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
