/**
 * A real OpenID Connect provider (the `oidc-provider` library) on a loopback port, for sign-in
 * tests: one confidential client (client_secret_basic, authorization code with PKCE), accounts
 * with e-mail and name claims put in the id token, and its development interactions, which
 * `logIn` drives with fetch (following redirects and keeping cookies by hand) as a browser
 * would. Its RS256 signing key is the test's, so tests can also sign tokens of their own with it.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWK, type KeyLike } from 'jose';
import Provider from 'oidc-provider';

export interface TestAccount {
  email?: string;
  preferred_username?: string;
  name?: string;
  given_name?: string;
  family_name?: string;
}

export interface OidcTestProvider {
  /** The issuer, also the authority Gatehouse is given: `http://127.0.0.1:<port>`. */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The accounts, by id (the `sub` claim); tests may add more before they log in. */
  accounts: Map<string, TestAccount>;
  /** The provider's signing key, for tokens the tests forge. */
  privateKey: KeyLike;
  keyId: string;
  /** Signs `claims` as the provider would (RS256 with its key and kid; `header` overrides). */
  sign(claims: Record<string, unknown>, header?: Record<string, unknown>, key?: KeyLike): Promise<string>;
  /**
   * Follows `authorizationUrl` through the provider's login and consent as `accountId`; answers
   * the URL the provider finally redirects to (the client's redirect URI with code and state).
   */
  logIn(authorizationUrl: string, accountId: string): Promise<URL>;
  close(): Promise<void>;
}

/** Starts the provider with a client allowed to redirect to `redirectUris` (read at its first request). */
export async function startOidcTestProvider(redirectUris: readonly string[]): Promise<OidcTestProvider> {
  const keyId = 'test-provider-key-1';
  const pair = await generateKeyPair('RS256', { extractable: true });
  const privateJwk: JWK = { ...(await exportJWK(pair.privateKey)), kid: keyId, use: 'sig', alg: 'RS256' };
  const accounts = new Map<string, TestAccount>();
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clientId = 'gatehouse-portal';
  const clientSecret = 'portal-client-secret-0123456789';
  // Made at the first request, so a test may add redirect URIs it learns after the start (a portal's port).
  const build = () => new Provider(issuer, {
    clients: [{ client_id: clientId, client_secret: clientSecret, redirect_uris: [...redirectUris], grant_types: ['authorization_code'], response_types: ['code'] }],
    jwks: { keys: [privateJwk] },
    cookies: { keys: ['oidc-test-provider-cookie-key'] },
    claims: { openid: ['sub'], email: ['email', 'preferred_username'], profile: ['name', 'given_name', 'family_name'] },
    // The claims go in the id token itself, as Entra ID puts them.
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: true } },
    pkce: { required: () => true },
    ttl: { AccessToken: 600, IdToken: 600, AuthorizationCode: 60, Interaction: 600, Session: 600, Grant: 600 },
    async findAccount(_ctx: unknown, sub: string) {
      const account = accounts.get(sub);
      return account ? { accountId: sub, claims: async () => ({ sub, ...account }) } : undefined;
    },
  });
  let handler: ReturnType<ReturnType<typeof build>['callback']> | undefined;
  server.on('request', (req, res) => (handler ??= build().callback())(req, res));

  const logIn = async (authorizationUrl: string, accountId: string): Promise<URL> => {
    const jar = new Map<string, string>();
    const cookieHeader = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const keep = (response: Response) => {
      for (const line of response.headers.getSetCookie()) {
        const [pair] = line.split(';');
        const eq = pair!.indexOf('=');
        jar.set(pair!.slice(0, eq).trim(), pair!.slice(eq + 1).trim());
      }
    };
    let url = new URL(authorizationUrl);
    let form: URLSearchParams | undefined;
    for (let step = 0; step < 20; step++) {
      const response = await fetch(url, {
        method: form ? 'POST' : 'GET',
        redirect: 'manual',
        headers: { cookie: cookieHeader(), ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
        body: form,
      });
      keep(response);
      form = undefined;
      if (response.status >= 300 && response.status < 400) {
        await response.body?.cancel();
        const next = new URL(response.headers.get('location')!, url);
        if (next.origin !== issuer) return next;
        url = next;
        continue;
      }
      const page = await response.text();
      if (response.status !== 200 || !url.pathname.startsWith('/interaction/')) throw new Error(`The provider answered ${response.status} at ${url.pathname}: ${page.slice(0, 300)}`);
      form = page.includes('name="prompt" value="login"') ? new URLSearchParams({ prompt: 'login', login: accountId, password: 'any' }) : new URLSearchParams({ prompt: 'consent' });
    }
    throw new Error('The provider did not finish the sign-in in 20 steps.');
  };

  return {
    issuer,
    clientId,
    clientSecret,
    accounts,
    privateKey: pair.privateKey,
    keyId,
    sign(claims, header = {}, key = pair.privateKey) {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ iss: issuer, aud: clientId, iat: now, exp: now + 600, ...claims })
        .setProtectedHeader({ alg: 'RS256', kid: keyId, typ: 'JWT', ...header } as { alg: string })
        .sign(key);
    },
    logIn,
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}
