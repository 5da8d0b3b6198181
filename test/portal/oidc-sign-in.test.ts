/**
 * The developer portal's OpenID Connect sign-in module (src/portal/oidc-sign-in.ts), end to end
 * over real sockets: a small portal server mounting it, the real management API over SQLite,
 * and a real OpenID provider (oidc-provider) whose login the test drives as a browser would. The
 * first sign-in creates the user, the second finds them, the token works on a user route; a
 * changed state, a missing or changed flow cookie, a provider error, an e-mail collision and an
 * unknown provider all end at `/signin?error=…` without signing anyone in.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger } from '../../src/core/logger.js';
import { SignInLimiter } from '../../src/management/arm/sign-in-limiter.js';
import { createOidcSignIn } from '../../src/portal/oidc-sign-in.js';
import { startOidcTestProvider, type OidcTestProvider } from '../helpers/oidc-test-provider.js';
import { servicePath, startManagement, type ManagementHarness } from '../management/arm/arm-harness.js';

describe('the portal signs in through an OpenID Connect provider', () => {
  let h: ManagementHarness;
  let idp: OidcTestProvider;
  let portal: Server;
  let origin = '';
  const completed: Array<{ userId: string; token: string }> = [];
  const relayedAddresses: string[] = [];

  before(async () => {
    portal = createServer();
    await new Promise<void>((resolve) => portal.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(portal.address() as AddressInfo).port}`;
    idp = await startOidcTestProvider([`${origin}/portal-api/signin/aad/callback`]);
    h = await startManagement({ signInLimiter: new SignInLimiter({ limit: 1000 }) });
    const saved = await h.call('PUT', 'identityProviders/aad', { body: { properties: { clientId: idp.clientId, clientSecret: idp.clientSecret, authority: idp.issuer } } });
    assert.equal(saved.status, 201, saved.text);
    const signIn = createOidcSignIn({
      serviceUrl: `${h.url}${servicePath}`,
      portalOrigin: origin,
      completeSignIn(_req, res, signedIn) {
        completed.push(signedIn);
        res.setHeader('set-cookie', 'portal-session=opened; Path=/; HttpOnly');
      },
      clientAddressHeaders(address) {
        relayedAddresses.push(address);
        return { 'x-test-client-address': address };
      },
      logger: createLogger('silent', 'json'),
    });
    portal.on('request', (req, res) => {
      if (signIn.handles(req)) return signIn.serve(req, res);
      res.writeHead(404).end();
    });
  });
  after(async () => {
    await new Promise<void>((resolve) => (portal.closeAllConnections(), portal.close(() => resolve())));
    await h.close();
    await idp.close();
  });

  const get = (path: string, cookie?: string) => fetch(new URL(path, origin), { redirect: 'manual', headers: cookie ? { cookie } : {} });
  const flowCookie = (response: Response): string => {
    const line = response.headers.getSetCookie().find((c) => c.startsWith('gatehouse-oidc='));
    assert.ok(line, 'the flow cookie is set');
    return line.split(';')[0]!;
  };
  /** Starts a sign-in and logs `account` in at the provider: the callback URL and the flow cookie. */
  const throughProvider = async (account: string): Promise<{ callback: URL; cookie: string }> => {
    const start = await get('/portal-api/signin/aad');
    assert.equal(start.status, 302);
    const cookie = flowCookie(start);
    const callback = await idp.logIn(start.headers.get('location')!, account);
    assert.equal(`${callback.origin}${callback.pathname}`, `${origin}/portal-api/signin/aad/callback`);
    return { callback, cookie };
  };
  const errorOf = (response: Response): string | null => {
    assert.equal(response.status, 302);
    const location = new URL(response.headers.get('location')!, origin);
    assert.equal(location.pathname, '/signin');
    return location.searchParams.get('error');
  };

  it('sends the browser to the provider with PKCE S256, state, nonce and a sealed 10-minute cookie', async () => {
    const start = await get('/portal-api/signin/aad');
    assert.equal(start.status, 302);
    const to = new URL(start.headers.get('location')!);
    assert.equal(`${to.origin}${to.pathname}`, `${idp.issuer}/auth`);
    const q = to.searchParams;
    assert.equal(q.get('response_type'), 'code');
    assert.equal(q.get('client_id'), idp.clientId);
    assert.equal(q.get('redirect_uri'), `${origin}/portal-api/signin/aad/callback`);
    assert.equal(q.get('scope'), 'openid profile email');
    assert.equal(q.get('code_challenge_method'), 'S256');
    assert.match(q.get('code_challenge')!, /^[A-Za-z0-9_-]{43}$/);
    assert.match(q.get('state')!, /^[A-Za-z0-9_-]{43}$/);
    assert.match(q.get('nonce')!, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(q.get('client_secret'), null);
    const line = start.headers.getSetCookie().find((c) => c.startsWith('gatehouse-oidc='))!;
    assert.match(line, /; Path=\/portal-api\/signin\/; HttpOnly; SameSite=Lax; Max-Age=600$/);
    // Sealed: neither the state nor the nonce can be read from it.
    assert.ok(!line.includes(q.get('state')!) && !line.includes(q.get('nonce')!));
    assert.ok(!Buffer.from(line.split(';')[0]!.split('=')[1]!, 'base64url').toString('latin1').includes(q.get('state')!));
  });

  let firstUser = '';
  it('creates the user on the first sign-in, opens the session and goes home', async () => {
    idp.accounts.set('portal-user', { email: 'portal.user@example.com', given_name: 'Portal', family_name: 'User' });
    const { callback, cookie } = await throughProvider('portal-user');
    const done = await get(`${callback.pathname}${callback.search}`, cookie);
    assert.equal(done.status, 302);
    assert.equal(done.headers.get('location'), '/');
    assert.equal(completed.length, 1);
    // The redemption names the browser's address to the management API's sign-in limit.
    assert.deepEqual(relayedAddresses, ['127.0.0.1']);
    firstUser = completed[0]!.userId;
    const cookies = done.headers.getSetCookie();
    assert.ok(cookies.some((c) => c.startsWith('portal-session=opened')), 'the session cookie completeSignIn set is kept');
    assert.ok(cookies.some((c) => c.startsWith('gatehouse-oidc=;') && c.includes('Max-Age=0')), 'the flow cookie is cleared');
    const own = await h.call('GET', `users/${firstUser}`, { auth: `SharedAccessSignature ${completed[0]!.token}` });
    assert.equal(own.status, 200, own.text);
    assert.equal(own.body.properties.email, 'portal.user@example.com');
    assert.deepEqual(own.body.properties.identities, [{ provider: 'Aad', id: 'portal-user' }]);
  });

  it('finds the same user on the second sign-in', async () => {
    const { callback, cookie } = await throughProvider('portal-user');
    const done = await get(`${callback.pathname}${callback.search}`, cookie);
    assert.equal(done.headers.get('location'), '/');
    assert.equal(completed.length, 2);
    assert.equal(completed[1]!.userId, firstUser);
  });

  it('refuses a callback whose state is not the cookie’s', async () => {
    const { callback, cookie } = await throughProvider('portal-user');
    callback.searchParams.set('state', 'forged-state');
    const before = completed.length;
    assert.equal(errorOf(await get(`${callback.pathname}${callback.search}`, cookie)), 'state_mismatch');
    assert.equal(completed.length, before);
  });

  it('refuses a callback without the flow cookie, or with a changed one', async () => {
    const { callback, cookie } = await throughProvider('portal-user');
    const path = `${callback.pathname}${callback.search}`;
    assert.equal(errorOf(await get(path)), 'sign_in_expired');
    const value = cookie.split('=')[1]!;
    const flipped = `gatehouse-oidc=${value.slice(0, 20)}${value[20] === 'A' ? 'B' : 'A'}${value.slice(21)}`;
    assert.equal(errorOf(await get(path, flipped)), 'sign_in_expired');
    // A flow started for one provider is not finished at another's callback.
    assert.equal(errorOf(await get(`/portal-api/signin/aadB2C/callback${callback.search}`, cookie)), 'state_mismatch');
  });

  it("turns the provider's error into a fixed code, never its text", async () => {
    const start = await get('/portal-api/signin/aad');
    const cookie = flowCookie(start);
    const state = new URL(start.headers.get('location')!).searchParams.get('state')!;
    const reply = await get(`/portal-api/signin/aad/callback?state=${state}&error=access_denied&error_description=%3Cscript%3Ealert(1)%3C%2Fscript%3E`, cookie);
    assert.equal(errorOf(reply), 'provider_refused');
    assert.ok(!reply.headers.get('location')!.includes('script'));
  });

  it('ends an e-mail collision at account_exists, signing nobody in', async () => {
    const taken = await h.call('PUT', 'users/bob', { body: { properties: { email: 'bob@example.com', firstName: 'Bob', lastName: 'B', password: 'bob-pw' } } });
    assert.equal(taken.status, 201, taken.text);
    idp.accounts.set('other-bob', { email: 'bob@example.com' });
    const { callback, cookie } = await throughProvider('other-bob');
    const before = completed.length;
    assert.equal(errorOf(await get(`${callback.pathname}${callback.search}`, cookie)), 'account_exists');
    assert.equal(completed.length, before);
  });

  it('refuses a provider that is not configured or not an OpenID one', async () => {
    assert.equal(errorOf(await get('/portal-api/signin/aadB2C')), 'provider_unknown');
    assert.equal(errorOf(await get('/portal-api/signin/google')), 'provider_unknown');
    assert.equal(errorOf(await get('/portal-api/signin/%ZZ')), 'provider_unknown');
  });

  it('handles only its own paths', () => {
    const signIn = createOidcSignIn({ serviceUrl: 'http://127.0.0.1:1', portalOrigin: origin, completeSignIn: () => undefined, logger: createLogger('silent', 'json') });
    const req = (method: string, url: string) => ({ method, url }) as never;
    assert.equal(signIn.handles(req('GET', '/portal-api/signin/aad')), true);
    assert.equal(signIn.handles(req('GET', '/portal-api/signin/aad/callback?code=1')), true);
    assert.equal(signIn.handles(req('POST', '/portal-api/signin/aad')), false);
    assert.equal(signIn.handles(req('GET', '/portal-api/signin')), false);
    assert.equal(signIn.handles(req('GET', '/portal-api/signin/aad/other')), false);
  });
});
