/**
 * `validate-jwt`: requires a valid JWT from a header, a query parameter or an expression
 * (reference §3 Access / auth; LastError reasons and messages §2.4; 401 `Invalid JWT.` §1.5).
 * Checks run in the order of Azure's token handler: signature, lifetime, audience, issuer, then
 * required claims. Signing keys come from `issuer-signing-keys` and `openid-config` endpoints.
 */
import type { PolicyCompileContext, PolicyModule } from '../pipeline/policy-module.js';
import type { Value } from '../pipeline/value.js';
import { attribute, childElements, type XmlElement } from '../pipeline/xml.js';
import { readDecryptionKeys, type DecryptionKey } from './validate-jwt/decryption-keys.js';
import { readRequiredClaims, type RequiredClaim } from './validate-jwt/required-claims.js';
import { readSigningKeys, type SigningKey } from './validate-jwt/signing-keys.js';
import { compileTokenSource } from './validate-jwt/token-source.js';
import { tokenValidationStep } from './validate-jwt/token-validation.js';

const childNames = ['openid-config', 'issuer-signing-keys', 'decryption-keys', 'audiences', 'issuers', 'required-claims'];

interface Settings {
  staticKeys: SigningKey[];
  openIdUrls: string[];
  decryptionKeys: DecryptionKey[];
  audiences: Value<string>[];
  issuers: Value<string>[];
  claims: RequiredClaim[];
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
    const status = ctx.integer(element, 'failed-validation-httpcode')!;
    const errorMessage = ctx.string(element, 'failed-validation-error-message');
    const requireExpiration = ctx.boolean(element, 'require-expiration-time')!;
    const requireScheme = ctx.string(element, 'require-scheme');
    const requireSigned = ctx.boolean(element, 'require-signed-tokens')!;
    const clockSkew = ctx.integer(element, 'clock-skew')!;
    const extract = compileTokenSource(element, ctx, undefined, requireScheme);
    const settings = readSettings(element, ctx);
    return tokenValidationStep('validate-jwt', {
      ...settings,
      extract,
      keySources: () => settings,
      requireSigned: (gw) => requireSigned.get(gw),
      requireExpiration: (gw) => requireExpiration.get(gw),
      clockSkewSeconds: (gw) => clockSkew.get(gw),
      outputVariable: ctx.string(element, 'output-token-variable-name')?.constant,
      status,
      errorMessage,
    });
  },
};

function readSettings(element: XmlElement, ctx: PolicyCompileContext): Settings {
  const settings: Settings = { staticKeys: [], openIdUrls: [], decryptionKeys: [], audiences: [], issuers: [], claims: [] };
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
        settings.decryptionKeys = readDecryptionKeys(child, ctx);
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

/** The texts of `list`'s `name` children (at least one). */
export function texts(list: XmlElement, name: string, ctx: PolicyCompileContext): Value<string>[] {
  const out: Value<string>[] = [];
  for (const child of childElements(list)) {
    if (child.name !== name) ctx.fail(child, `The element '${child.name}' is not allowed in '${list.name}'; expected '${name}'.`);
    out.push(ctx.text(child));
  }
  if (out.length === 0) ctx.fail(list, `At least one '${name}' element is required in '${list.name}'.`);
  return out;
}
