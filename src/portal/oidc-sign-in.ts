/**
 * The developer portal's sign-in through an OpenID Connect identity provider (`aad` or `aadB2C`;
 * docs/identity-providers.md#signing-in), the authorization code flow with PKCE (S256), `state`
 * and `nonce`:
 *
 * - `GET /portal-api/signin/{provider}` asks the management API for the provider's client id and
 *   authorization endpoint, keeps state, nonce and verifier in a sealed 10-minute cookie
 *   (oidc-flow-cookie.ts) and sends the browser to the provider (302).
 * - `GET /portal-api/signin/{provider}/callback?code&state` checks the state against the cookie,
 *   has the management API redeem the code with the client secret it keeps and check the id
 *   token (nonce included), then hands the user and token to `completeSignIn` and goes to `/`.
 *
 * Every failure goes to `/signin?error={code}`, a fixed word: nothing the provider or the
 * management API said reaches the page; it goes to the log.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../core/logger.js';
import { FlowCookieSealer, type SignInFlow } from './oidc-flow-cookie.js';
import { readProviderAuthorization, redeemAuthorizationCode, SignInRefused } from './provider-sign-in-client.js';

export interface OidcSignInDeps {
  /** Management API base for the service, e.g. http://127.0.0.1:8081/subscriptions/…/providers/Microsoft.ApiManagement/service/gatehouse */
  serviceUrl: string;
  /** The portal's public origin, e.g. http://127.0.0.1:8082; redirect_uri = portalOrigin + '/portal-api/signin/{provider}/callback' */
  portalOrigin: string;
  /** Opens the portal session for the signed-in user and sets its cookie on res (developer-portal.ts's); then this module redirects. */
  completeSignIn(req: IncomingMessage, res: ServerResponse, signedIn: { userId: string; token: string }): void;
  /** Headers naming the browser's address to the management API's sign-in limit (relayed-client-address.ts); absent: none. */
  clientAddressHeaders?(address: string): Record<string, string>;
  logger: Logger;
}

/** The codes `/signin?error=` may carry. */
export type SignInErrorCode =
  | 'provider_unknown'
  | 'provider_unavailable'
  | 'provider_refused'
  | 'sign_in_expired'
  | 'state_mismatch'
  | 'sign_in_refused'
  | 'missing_claims'
  | 'account_exists'
  | 'too_many_attempts'
  | 'sign_in_failed';

/** The identity providers that sign in with OpenID Connect, by their name in lower case. */
const providers: Readonly<Record<string, string>> = { aad: 'aad', aadb2c: 'aadB2C' };
const routePattern = /^\/portal-api\/signin\/([^/]+)(\/callback)?$/;

/** The management API's error codes, as the page's. */
const errorCodes: Readonly<Record<string, SignInErrorCode>> = {
  Conflict: 'account_exists',
  IdentityClaimMissing: 'missing_claims',
  TooManyRequests: 'too_many_attempts',
  AuthenticationFailed: 'sign_in_refused',
  IdentityProviderUnavailable: 'provider_unavailable',
  ResourceNotFound: 'provider_unknown',
};

const randomText = (): string => randomBytes(32).toString('base64url');

/** Creates the sign-in routes the portal server mounts. */
export function createOidcSignIn(deps: OidcSignInDeps): { handles(req: IncomingMessage): boolean; serve(req: IncomingMessage, res: ServerResponse): void } {
  const origin = new URL(deps.portalOrigin).origin;
  const cookies = new FlowCookieSealer(origin.startsWith('https:'));
  const redirectUri = (provider: string): string => `${origin}/portal-api/signin/${provider}/callback`;

  const redirect = (res: ServerResponse, location: string, setCookies: string[] = []): void => {
    const earlier = res.getHeader('set-cookie');
    const all = [...(Array.isArray(earlier) ? earlier : earlier === undefined ? [] : [String(earlier)]), ...setCookies];
    if (all.length > 0) res.setHeader('set-cookie', all);
    res.writeHead(302, { location, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' });
    res.end();
  };
  const fail = (res: ServerResponse, code: SignInErrorCode, detail: Record<string, unknown>): void => {
    deps.logger.warn({ ...detail, error: code }, 'OpenID Connect sign-in failed');
    redirect(res, `/signin?error=${code}`, [cookies.clearCookie()]);
  };
  const refused = (res: ServerResponse, err: unknown, provider: string): void => {
    if (err instanceof SignInRefused) fail(res, errorCodes[err.code] ?? 'sign_in_failed', { provider, status: err.status, code: err.code, message: err.message });
    else fail(res, 'sign_in_failed', { provider, err });
  };

  const start = async (res: ServerResponse, provider: string): Promise<void> => {
    const authorization = await readProviderAuthorization(deps.serviceUrl, provider, {});
    const flow: SignInFlow = { provider, state: randomText(), nonce: randomText(), verifier: randomText() };
    const target = new URL(authorization.authorizationEndpoint);
    const query = {
      response_type: 'code',
      client_id: authorization.clientId,
      redirect_uri: redirectUri(provider),
      scope: authorization.scope,
      state: flow.state,
      nonce: flow.nonce,
      code_challenge: createHash('sha256').update(flow.verifier).digest('base64url'),
      code_challenge_method: 'S256',
    };
    for (const [name, value] of Object.entries(query)) target.searchParams.set(name, value);
    redirect(res, target.toString(), [cookies.setCookie(flow)]);
  };

  const callback = async (req: IncomingMessage, res: ServerResponse, provider: string, query: URLSearchParams): Promise<void> => {
    const flow = cookies.open(req.headers.cookie);
    if (!flow) return fail(res, 'sign_in_expired', { provider });
    const state = query.get('state') ?? '';
    if (flow.provider !== provider || !sameText(state, flow.state)) return fail(res, 'state_mismatch', { provider });
    // The provider's own error (the user declined, …): its text stays out of the page.
    if (query.has('error')) return fail(res, 'provider_refused', { provider, providerError: query.get('error')?.slice(0, 64) });
    const code = query.get('code');
    if (!code) return fail(res, 'provider_refused', { provider, reason: 'no code' });
    const relayed = deps.clientAddressHeaders?.(req.socket.remoteAddress ?? 'unknown') ?? {};
    const signedIn = await redeemAuthorizationCode(deps.serviceUrl, provider, { code, codeVerifier: flow.verifier, redirectUri: redirectUri(provider), nonce: flow.nonce }, relayed);
    deps.completeSignIn(req, res, signedIn);
    redirect(res, '/', [cookies.clearCookie()]);
  };

  return {
    handles(req) {
      return (req.method === 'GET' || req.method === 'HEAD') && routePattern.test(new URL(req.url ?? '/', 'http://portal').pathname);
    },
    serve(req, res) {
      const url = new URL(req.url ?? '/', 'http://portal');
      const match = routePattern.exec(url.pathname);
      const provider = match ? providers[decodeSafely(match[1]!).toLowerCase()] : undefined;
      if (!match || !provider) return fail(res, 'provider_unknown', { path: url.pathname.slice(0, 200) });
      const work = match[2] ? callback(req, res, provider, url.searchParams) : start(res, provider);
      work.catch((err: unknown) => {
        if (res.headersSent) return res.destroy();
        refused(res, err, provider);
      });
    },
  };
}

/** Compares two texts in constant time for their length. */
function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function decodeSafely(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return '';
  }
}
