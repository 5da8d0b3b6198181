/**
 * Gatehouse's own half of an OpenID Connect sign-in, for its developer portal
 * (docs/identity-providers.md#signing-in): the client secret stays in the management API.
 *
 * - `GET …/identity/{aad|aadB2C}/authorization` answers what the portal needs to send the
 *   browser to the provider: `clientId`, `authorizationEndpoint` (from the discovery document)
 *   and `scope`.
 * - `POST …/identity/{aad|aadB2C}/authorizationCode` with `{ code, codeVerifier, redirectUri,
 *   nonce }` redeems the code at the provider's token endpoint with the client secret (PKCE),
 *   checks the id token it gets (nonce included) and signs the user in as `Aad id_token="…"`
 *   does (external-sign-in.ts).
 *
 * Neither needs credentials: like the password exchange, the request carries its own.
 */
import type { StoredEntity } from '../../core/entity-store.js';
import { BodyTooLargeError, readLimitedBody } from '../../core/limited-body.js';
import { ArmError, invalidField } from './arm-error.js';
import { signInWithIdToken, identityProviderRecord, type ObtainedIdToken } from './external-sign-in.js';
import { discoveryUrl, openIdProviderTypes, type OpenIdProviderType } from './identity-provider-authority.js';
import type { ArmResponse } from './resource-operations.js';
import type { SignInDeps } from './sign-in-exchange.js';

/** The scopes the portal asks for: the e-mail and name claims a first sign-in needs. */
export const signInScope = 'openid profile email';
/** How long the token endpoint may take. */
export const tokenRequestTimeoutMs = 5_000;
const maxTokenAnswerBytes = 256 * 1024;

export type ProviderSignInStep = 'authorization' | 'authorizationCode';

/** `identity/{provider}/{step}`, when `segments` address it. */
export function readProviderSignInPath(segments: readonly string[]): { type: OpenIdProviderType; step: ProviderSignInStep } | undefined {
  if (segments.length !== 3 || segments[0]!.toLowerCase() !== 'identity') return undefined;
  const type = openIdProviderTypes.find((t) => t.toLowerCase() === segments[1]!.toLowerCase());
  const step = (['authorization', 'authorizationCode'] as const).find((s) => s.toLowerCase() === segments[2]!.toLowerCase());
  if (!type || !step) throw new ArmError(404, 'ResourceNotFound', 'Sign-in is served at identity/{aad|aadB2C}/authorization and identity/{aad|aadB2C}/authorizationCode.');
  return { type, step };
}

/** Answers one step of the sign-in for `type`. */
export async function handleProviderSignIn(
  method: string,
  target: { type: OpenIdProviderType; step: ProviderSignInStep },
  body: Record<string, unknown> | undefined,
  address: string,
  deps: SignInDeps,
): Promise<ArmResponse> {
  const wanted = target.step === 'authorization' ? 'GET' : 'POST';
  if (method !== wanted) throw new ArmError(405, 'MethodNotAllowed', `The method '${method}' is not allowed on this resource; use ${wanted}.`);
  if (target.step === 'authorization') return authorization(target.type, deps);
  const request = readCodeRequest(body);
  return signInWithIdToken(target.type, (record) => redeemCode(target.type, record, request, deps), address, deps);
}

async function authorization(type: OpenIdProviderType, deps: SignInDeps): Promise<ArmResponse> {
  const record = await identityProviderRecord(deps.store, type);
  if (!record) throw new ArmError(404, 'ResourceNotFound', `The identity provider '${type}' is not configured.`);
  const config = await deps.discovery.get(discoveryUrl(type, record.body), deps.now().getTime());
  if (!config.authorizationEndpoint) throw unavailable(type, config.error ?? 'its discovery document names no authorization_endpoint');
  return { status: 200, headers: { 'cache-control': 'no-store' }, body: { provider: type, clientId: record.body.clientId, authorizationEndpoint: config.authorizationEndpoint, scope: signInScope } };
}

interface CodeRequest {
  code: string;
  codeVerifier: string;
  redirectUri: string;
  nonce: string;
}

/** The body of an `authorizationCode` request; 400 naming the property that is wrong. */
function readCodeRequest(body: Record<string, unknown> | undefined): CodeRequest {
  const text = (name: keyof CodeRequest, pattern: RegExp, what: string): string => {
    const value = body?.[name];
    if (typeof value !== 'string' || !pattern.test(value)) throw invalidField(name, `'${name}' must be ${what}.`);
    return value;
  };
  const known = ['code', 'codeVerifier', 'redirectUri', 'nonce'];
  const extra = Object.keys(body ?? {}).find((k) => !known.includes(k));
  if (extra !== undefined) throw invalidField(extra, `'${extra}' is not a property of an authorization code sign-in (${known.join(', ')}).`);
  const redirectUri = text('redirectUri', /^https?:\/\/[^\s#]{1,2000}$/, 'the http(s) redirect URI the authorization request named');
  return {
    code: text('code', /^[\x21-\x7e]{1,4096}$/, 'the authorization code the provider returned'),
    // RFC 7636: 43 to 128 unreserved characters.
    codeVerifier: text('codeVerifier', /^[A-Za-z0-9._~-]{43,128}$/, "the PKCE code verifier (43 to 128 of 'A-Z a-z 0-9 - . _ ~')"),
    redirectUri,
    nonce: text('nonce', /^[\x21-\x7e]{8,256}$/, 'the nonce the authorization request carried (8 to 256 characters)'),
  };
}

const unavailable = (type: string, why: string): ArmError => new ArmError(502, 'IdentityProviderUnavailable', `The identity provider '${type}' could not be reached: ${why}.`);

/** Redeems the code at the token endpoint with the client secret; the id token it answers. */
async function redeemCode(type: OpenIdProviderType, record: StoredEntity, request: CodeRequest, deps: SignInDeps): Promise<ObtainedIdToken> {
  const config = await deps.discovery.get(discoveryUrl(type, record.body), deps.now().getTime());
  if (!config.tokenEndpoint) throw unavailable(type, config.error ?? 'its discovery document names no token_endpoint');
  const clientId = String(record.body.clientId ?? '');
  const sealed = record.body.clientSecret;
  if (typeof sealed !== 'string') throw new ArmError(401, 'AuthenticationFailed', `The identity provider '${type}' has no client secret: an administrator must set 'clientSecret'.`);
  const secret = deps.sealer.open(sealed);
  const form = new URLSearchParams({ grant_type: 'authorization_code', code: request.code, redirect_uri: request.redirectUri, code_verifier: request.codeVerifier });
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
  // OpenID Discovery's default is client_secret_basic; a provider that lists only _post gets the secret in the body.
  const methods = config.tokenEndpointAuthMethods;
  if (methods && !methods.includes('client_secret_basic') && methods.includes('client_secret_post')) {
    form.set('client_id', clientId);
    form.set('client_secret', secret);
  } else {
    headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString('base64')}`;
  }
  let answer: Record<string, unknown>;
  let status: number;
  try {
    const response = await fetch(config.tokenEndpoint, { method: 'POST', headers, body: form, redirect: 'error', signal: AbortSignal.timeout(tokenRequestTimeoutMs) });
    status = response.status;
    const parsed: unknown = JSON.parse((await readLimitedBody(response, maxTokenAnswerBytes)).toString('utf8'));
    answer = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch (err) {
    const why = err instanceof BodyTooLargeError ? 'its token endpoint answered too much' : err instanceof SyntaxError ? 'its token endpoint did not answer JSON' : 'its token endpoint did not answer in time or refused the connection';
    throw unavailable(type, why);
  }
  if (status !== 200) {
    // Only an OAuth error code is repeated, never the provider's free text.
    const code = typeof answer.error === 'string' && /^[a-z_]{1,64}$/.test(answer.error) ? ` (${answer.error})` : '';
    throw new ArmError(401, 'AuthenticationFailed', `The identity provider '${type}' refused the authorization code${code}.`);
  }
  if (typeof answer.id_token !== 'string') throw new ArmError(401, 'AuthenticationFailed', `The identity provider '${type}' answered no id token (the 'openid' scope is required).`);
  return { token: answer.id_token, nonce: request.nonce };
}
