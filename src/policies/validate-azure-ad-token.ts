/**
 * `validate-azure-ad-token`: requires a valid Microsoft Entra ID token for the tenant `tenant-id`
 * names, from a header (Authorization by default), a query parameter or an expression. Keys and
 * issuers come from the tenant's OpenID discovery documents (v2.0 and v1, so tokens of both
 * versions pass) at the Entra authority (`--entra-authority`, https://login.microsoftonline.com by
 * default; a `tenant-id` that is a URL names its own). Then, as validate-jwt does: lifetime, the
 * `audiences` and `backend-application-ids` as audiences, the issuer, the calling application
 * (`appid` or `azp`) among `client-application-ids`, and `required-claims`. The checks are
 * validate-jwt's own (validate-jwt/token-checks.ts).
 */
import type { GatewayContext } from '../pipeline/gateway-context.js';
import type { PolicyCompileContext, PolicyModule } from '../pipeline/policy-module.js';
import { constantValue, type Value } from '../pipeline/value.js';
import { childElements, type XmlElement } from '../pipeline/xml.js';
import { texts } from './validate-jwt.js';
import { readDecryptionKeys, type DecryptionKey } from './validate-jwt/decryption-keys.js';
import { readRequiredClaims, type RequiredClaim } from './validate-jwt/required-claims.js';
import { TokenRejected } from './validate-jwt/token-checks.js';
import { compileTokenSource } from './validate-jwt/token-source.js';
import { tokenValidationStep } from './validate-jwt/token-validation.js';

const policyName = 'validate-azure-ad-token';
/** Microsoft Entra ID's global authority. */
export const defaultEntraAuthority = 'https://login.microsoftonline.com';
/** Children in the order Microsoft's policy statement gives them. */
const childOrder = ['client-application-ids', 'backend-application-ids', 'audiences', 'required-claims', 'decryption-keys'];

interface Settings {
  clientApplications: string[];
  audiences: Value<string>[];
  claims: RequiredClaim[];
  decryptionKeys: DecryptionKey[];
}

export const validateAzureAdToken: PolicyModule = {
  name: policyName,
  sections: ['inbound'],
  attributes: {
    'tenant-id': { type: 'string', required: true, expression: true },
    'header-name': { type: 'string', expression: true },
    'query-parameter-name': { type: 'string', expression: true },
    'token-value': { type: 'string', expression: true },
    'failed-validation-httpcode': { type: 'integer', default: 401, min: 100, max: 599, expression: true },
    'failed-validation-error-message': { type: 'string', expression: true },
    'output-token-variable-name': { type: 'string' },
  },
  compile(element, ctx) {
    const tenant = ctx.string(element, 'tenant-id')!;
    if (tenant.isConstant) {
      const problem = tenantProblem(tenant.constant!.trim());
      if (problem) ctx.fail(element, problem);
    }
    const extract = compileTokenSource(element, ctx, 'Authorization');
    const settings = readSettings(element, ctx);
    return tokenValidationStep(policyName, {
      ...settings,
      extract,
      keySources: (gw) => ({ staticKeys: [], openIdUrls: discoveryUrls(tenant.get(gw).trim(), gw) }),
      // Entra tokens are always signed and carry exp; Azure documents no skew setting here.
      requireSigned: () => true,
      requireExpiration: () => true,
      clockSkewSeconds: () => 0,
      issuers: [],
      alsoCheck: (payload) => checkClientApplication(payload, settings.clientApplications),
      outputVariable: ctx.string(element, 'output-token-variable-name')?.constant,
      status: ctx.integer(element, 'failed-validation-httpcode')!,
      errorMessage: ctx.string(element, 'failed-validation-error-message'),
    });
  },
};

function readSettings(element: XmlElement, ctx: PolicyCompileContext): Settings {
  const settings: Settings = { clientApplications: [], audiences: [], claims: [], decryptionKeys: [] };
  let last = -1;
  for (const child of childElements(element)) {
    const position = childOrder.indexOf(child.name);
    if (position === -1) ctx.fail(child, `The element '${child.name}' is not allowed in '${policyName}'.`);
    if (position === last) ctx.fail(child, `The element '${child.name}' may appear only once in '${policyName}'.`);
    if (position < last) ctx.fail(child, `The element '${child.name}' must come before '${childOrder[last]}' in '${policyName}'.`);
    last = position;
    switch (child.name) {
      case 'client-application-ids':
        settings.clientApplications = constantTexts(child, ctx);
        break;
      case 'backend-application-ids':
        // A backend application is the audience a token for it carries: its id, or its api:// URI.
        for (const id of constantTexts(child, ctx)) settings.audiences.push(constantValue(id), constantValue(`api://${id}`));
        break;
      case 'audiences':
        settings.audiences.push(...texts(child, 'audience', ctx));
        break;
      case 'required-claims':
        settings.claims = readRequiredClaims(child, ctx);
        break;
      case 'decryption-keys':
        settings.decryptionKeys = readDecryptionKeys(child, ctx);
    }
  }
  return settings;
}

/** `application-id` texts, which take no expressions (Microsoft: "Policy expressions aren't allowed"). */
function constantTexts(list: XmlElement, ctx: PolicyCompileContext): string[] {
  return texts(list, 'application-id', ctx).map((value, i) => {
    if (!value.isConstant) ctx.fail(childElements(list)[i]!, `The '${list.name}' element does not accept policy expressions.`);
    const id = value.constant!.trim();
    if (id === '') ctx.fail(childElements(list)[i]!, "An 'application-id' must not be empty.");
    return id;
  });
}

/** The calling application (`appid` in v1 tokens, `azp` in v2) must be listed, when a list is given. */
function checkClientApplication(payload: Record<string, unknown>, allowed: readonly string[]): void {
  if (allowed.length === 0) return;
  const app = typeof payload.appid === 'string' ? payload.appid : typeof payload.azp === 'string' ? payload.azp : undefined;
  if (app !== undefined && allowed.some((id) => id.toLowerCase() === app.toLowerCase())) return;
  throw new TokenRejected('TokenClientApplicationNotAllowed', `Client application validation failed. Client application: '${app ?? 'empty'}'. Access denied.`);
}

/** Why `tenant` cannot name a tenant: a tenant id, a domain, common/organizations/consumers, or an http(s) URL. */
function tenantProblem(tenant: string): string | undefined {
  if (/^https?:\/\//i.test(tenant)) return URL.canParse(tenant) ? undefined : `The tenant URL '${tenant}' is not a valid URL.`;
  return /^[A-Za-z0-9][A-Za-z0-9.-]{0,252}$/.test(tenant) ? undefined : `'${tenant}' is not a tenant ID, a tenant domain or a tenant URL.`;
}

/** The tenant's v2.0 and v1 OpenID discovery documents. */
function discoveryUrls(tenant: string, gw: GatewayContext): string[] {
  const problem = tenantProblem(tenant);
  if (problem) throw new TokenRejected('JwtInvalid', problem);
  const base = /^https?:\/\//i.test(tenant) ? tenant.replace(/\/+$/, '') : `${(gw.services.entraAuthority ?? defaultEntraAuthority).replace(/\/+$/, '')}/${tenant}`;
  return [`${base}/v2.0/.well-known/openid-configuration`, `${base}/.well-known/openid-configuration`];
}
