/**
 * Sign-in through an `aad` identity provider on the management API (docs/user-access.md, the Aad
 * scheme; docs/identity-providers.md), against a real OpenID provider (oidc-provider on
 * loopback) and the real handler over SQLite: `Aad id_token="…"` creates the user on first
 * sign-in and finds them after; forged, expired, not-yet-valid, unsigned, wrong-audience and
 * wrong-issuer tokens are refused; an e-mail another user has is a 409; the code redemption
 * keeps the secret server-side and checks the nonce; users read identity providers without
 * their secrets; `authority` is checked at save time; keys are fetched again for an unknown
 * kid (bounded) and a provider that does not answer is given up on; failures are limited.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWK, type KeyLike } from 'jose';
import { mintAnonymousVisitorToken } from '../../../src/management/arm/anonymous-visitor-token.js';
import { SignInLimiter } from '../../../src/management/arm/sign-in-limiter.js';
import { startOidcTestProvider, type OidcTestProvider } from '../../helpers/oidc-test-provider.js';
import { startManagement, type ManagementHarness } from './arm-harness.js';

const redirectUri = 'http://127.0.0.1:9/portal-api/signin/aad/callback';
const aad = (token: string) => ({ auth: `Aad id_token="${token}"` });

describe('sign-in through an aad identity provider', () => {
  let h: ManagementHarness;
  let idp: OidcTestProvider;
  const signIn = (token: string) => h.call('GET', 'identity', aad(token));
  const userCount = async () => (await h.call('GET', 'users')).body.value.length as number;

  before(async () => {
    idp = await startOidcTestProvider([redirectUri]);
    h = await startManagement({ signInLimiter: new SignInLimiter({ limit: 1000 }) });
    const saved = await h.call('PUT', 'identityProviders/aad', { body: { properties: { clientId: idp.clientId, clientSecret: idp.clientSecret, authority: idp.issuer } } });
    assert.equal(saved.status, 201, saved.text);
  });
  after(async () => {
    await h.close();
    await idp.close();
  });

  let first = '';
  it('creates the user on the first sign-in, from the token claims, with the identity and no password', async () => {
    const before = await userCount();
    const reply = await signIn(await idp.sign({ sub: 'sub-new', email: 'new.person@example.com', given_name: 'New', family_name: 'Person' }));
    assert.equal(reply.status, 200, reply.text);
    first = reply.body.id;
    assert.match(first, /^[0-9a-f]{24}$/);
    assert.equal(reply.headers.get('ocp-apim-sas-token'), `token="${reply.body.value}",refresh="true"`);
    assert.equal(await userCount(), before + 1);
    const user = await h.call('GET', `users/${first}`);
    assert.equal(user.body.properties.email, 'new.person@example.com');
    assert.equal(user.body.properties.firstName, 'New');
    assert.equal(user.body.properties.lastName, 'Person');
    assert.equal(user.body.properties.state, 'active');
    assert.deepEqual(user.body.properties.identities, [{ provider: 'Aad', id: 'sub-new' }]);
    const stored = await h.store.get(`users/${first}`);
    assert.equal(stored!.body.password, undefined);
    // The token is a user token: it opens the user's own routes.
    const own = await h.call('GET', `users/${first}`, { auth: `SharedAccessSignature ${reply.body.value}` });
    assert.equal(own.status, 200, own.text);
  });

  it('finds the same user on the next sign-in', async () => {
    const before = await userCount();
    const reply = await signIn(await idp.sign({ sub: 'sub-new', email: 'changed@example.com' }));
    assert.equal(reply.status, 200, reply.text);
    assert.equal(reply.body.id, first);
    assert.equal(await userCount(), before);
  });

  it("takes the identity from 'oid' before 'sub', names from 'name', the e-mail from 'preferred_username'", async () => {
    const reply = await signIn(await idp.sign({ sub: 'pairwise-1', oid: 'object-1', preferred_username: 'Oid.User@example.com', name: 'Ada  King Lovelace' }));
    assert.equal(reply.status, 200, reply.text);
    const user = (await h.call('GET', `users/${reply.body.id}`)).body.properties;
    assert.deepEqual(user.identities, [{ provider: 'Aad', id: 'object-1' }]);
    assert.equal(user.email, 'Oid.User@example.com');
    assert.equal(user.firstName, 'Ada');
    assert.equal(user.lastName, 'King Lovelace');
    const again = await signIn(await idp.sign({ sub: 'pairwise-2', oid: 'object-1', preferred_username: 'Oid.User@example.com' }));
    assert.equal(again.body.id, reply.body.id);
  });

  it("names nobody '-' when the token has no names", async () => {
    const reply = await signIn(await idp.sign({ sub: 'nameless', email: 'nameless@example.com' }));
    const user = (await h.call('GET', `users/${reply.body.id}`)).body.properties;
    assert.equal(user.firstName, '-');
    assert.equal(user.lastName, '-');
  });

  it('refuses a token without an e-mail address (400 naming the claims), creating nobody', async () => {
    const before = await userCount();
    for (const claims of [{ sub: 'no-mail' }, { sub: 'no-mail', preferred_username: 'just-a-name', email: 'not an address' }]) {
      const reply = await signIn(await idp.sign(claims));
      assert.equal(reply.status, 400, reply.text);
      assert.equal(reply.body.error.code, 'IdentityClaimMissing');
      assert.match(reply.body.error.message, /'email'.*'preferred_username'/);
    }
    assert.equal(await userCount(), before);
  });

  it('refuses, with 409 and without linking, an e-mail address another user has', async () => {
    const alice = await h.call('PUT', 'users/alice', { body: { properties: { email: 'alice@example.com', firstName: 'Alice', lastName: 'A', password: 'alice-pw' } } });
    assert.equal(alice.status, 201, alice.text);
    const before = await userCount();
    const reply = await signIn(await idp.sign({ sub: 'intruder', email: 'ALICE@example.com' }));
    assert.equal(reply.status, 409, reply.text);
    assert.equal(reply.body.error.code, 'Conflict');
    assert.match(reply.body.error.message, /already exists/);
    assert.equal(await userCount(), before);
    const stored = (await h.call('GET', 'users/alice')).body.properties;
    assert.deepEqual(stored.identities, [{ provider: 'Basic', id: 'alice@example.com' }]);
  });

  it('refuses a blocked user as the password exchange does', async () => {
    const reply = await signIn(await idp.sign({ sub: 'to-block', email: 'to.block@example.com' }));
    assert.equal(reply.status, 200);
    const current = await h.call('GET', `users/${reply.body.id}`);
    const blocked = await h.call('PATCH', `users/${reply.body.id}`, { body: { properties: { state: 'blocked' } }, headers: { 'if-match': '*' } });
    assert.equal(blocked.status, 200, blocked.text);
    assert.ok(current.status === 200);
    const again = await signIn(await idp.sign({ sub: 'to-block', email: 'to.block@example.com' }));
    assert.equal(again.status, 401);
    assert.equal(again.body.error.code, 'AuthenticationFailed');
    assert.match(again.body.error.message, /blocked/);
  });

  it('creates nobody while user tokens are turned off (tenant/access disabled)', async () => {
    const access = await h.call('GET', 'tenant/access');
    const off = await h.call('PATCH', 'tenant/access', { body: { properties: { enabled: false } }, headers: { 'if-match': access.headers.get('etag') ?? '*' } });
    assert.equal(off.status, 200, off.text);
    try {
      const before = await userCount();
      const reply = await signIn(await idp.sign({ sub: 'while-off', email: 'while.off@example.com' }));
      assert.equal(reply.status, 401, reply.text);
      assert.match(reply.body.error.message, /tenant\/access/);
      assert.equal(await userCount(), before);
    } finally {
      const now = await h.call('GET', 'tenant/access');
      const on = await h.call('PATCH', 'tenant/access', { body: { properties: { enabled: true } }, headers: { 'if-match': now.headers.get('etag') ?? '*' } });
      assert.equal(on.status, 200, on.text);
    }
  });

  describe('refuses tokens that do not hold', () => {
    const now = () => Math.floor(Date.now() / 1000);
    const cases: Array<[string, () => Promise<string>, RegExp]> = [
      ['signed with another key under the same kid', async () => idp.sign({ sub: 'x', email: 'x@example.com' }, {}, (await generateKeyPair('RS256')).privateKey), /Signature validation failed/],
      ['naming a key the provider does not publish', async () => idp.sign({ sub: 'x', email: 'x@example.com' }, { kid: 'unknown-kid' }), /Unable to match key/],
      ['expired', () => idp.sign({ sub: 'x', email: 'x@example.com', iat: now() - 3600, exp: now() - 600 }), /expired/],
      ['not yet valid', () => idp.sign({ sub: 'x', email: 'x@example.com', nbf: now() + 600 }), /not yet valid/],
      ['without an expiry', () => idp.sign({ sub: 'x', email: 'x@example.com', exp: undefined }), /Expiration Time/],
      ['for another audience', () => idp.sign({ sub: 'x', email: 'x@example.com', aud: 'someone-else' }), /Audience validation failed/],
      ['from another issuer', () => idp.sign({ sub: 'x', email: 'x@example.com', iss: 'https://evil.example.com' }), /Issuer validation failed/],
      [
        "unsigned ('alg: none')",
        async () => {
          const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
          return `${part({ alg: 'none', typ: 'JWT' })}.${part({ iss: idp.issuer, aud: idp.clientId, sub: 'x', email: 'x@example.com', exp: now() + 600 })}.`;
        },
        /does not have a signature/,
      ],
      ['not a token', async () => 'not-a-jwt', /refused/],
    ];
    for (const [label, make, message] of cases) {
      it(label, async () => {
        const before = await userCount();
        const reply = await signIn(await make());
        assert.equal(reply.status, 401, reply.text);
        assert.equal(reply.body.error.code, 'AuthenticationFailed');
        assert.match(reply.body.error.message, message);
        assert.equal(await userCount(), before);
      });
    }
  });

  it('refuses a malformed Aad header, a provider that is not configured, and an id token elsewhere', async () => {
    const malformed = await h.call('GET', 'identity', { auth: 'Aad token=abc' });
    assert.equal(malformed.status, 401);
    assert.match(malformed.body.error.message, /id_token=/);
    const b2c = await h.call('GET', 'identity', { auth: `AadB2C id_token="${await idp.sign({ sub: 'x', email: 'x@example.com' })}"` });
    assert.equal(b2c.status, 401);
    assert.match(b2c.body.error.message, /'aadB2C' is not configured/);
    const elsewhere = await h.call('GET', 'products', aad(await idp.sign({ sub: 'sub-new', email: 'new.person@example.com' })));
    assert.equal(elsewhere.status, 401);
  });

  it('lets a user and the anonymous visitor read identity providers with only their type and client id', async () => {
    const token = (await signIn(await idp.sign({ sub: 'sub-new' }))).body.value as string;
    const sas = { auth: `SharedAccessSignature ${token}` };
    const list = await h.call('GET', 'identityProviders', sas);
    assert.equal(list.status, 200, list.text);
    assert.deepEqual(list.body.value.map((p: { name: string; properties: object }) => [p.name, p.properties]), [['aad', { type: 'aad', clientId: idp.clientId }]]);
    const one = await h.call('GET', 'identityProviders/aad', sas);
    assert.deepEqual(one.body.properties, { type: 'aad', clientId: idp.clientId });
    const secrets = await h.call('POST', 'identityProviders/aad/listSecrets', sas);
    assert.equal(secrets.status, 403);
    // The portal's anonymous visitor, who is the one signing in, reads them the same way.
    await h.call('GET', 'products');
    const visitor = { auth: `SharedAccessSignature ${await mintAnonymousVisitorToken(h.store, h.box, new Date())}` };
    const seen = await h.call('GET', 'identityProviders', visitor);
    assert.equal(seen.status, 200, seen.text);
    assert.deepEqual(seen.body.value.map((p: { properties: object }) => p.properties), [{ type: 'aad', clientId: idp.clientId }]);
    assert.deepEqual((await h.call('GET', 'identityProviders/aad', visitor)).body.properties, { type: 'aad', clientId: idp.clientId });
    assert.equal((await h.call('POST', 'identityProviders/aad/listSecrets', visitor)).status, 403);
    // The administrator still sees the whole record.
    assert.equal((await h.call('GET', 'identityProviders/aad')).body.properties.authority, idp.issuer);
  });

  describe('the authorization code sign-in (the developer portal)', () => {
    const pkce = () => {
      const verifier = randomBytes(32).toString('base64url');
      return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
    };
    /** Logs `account` in at the provider as the portal's browser would; the code it gets. */
    const codeFor = async (account: string, nonce: string, challenge: string): Promise<string> => {
      const info = await h.call('GET', 'identity/aad/authorization', { auth: null });
      assert.equal(info.status, 200, info.text);
      const url = new URL(info.body.authorizationEndpoint);
      const query = { response_type: 'code', client_id: info.body.clientId, redirect_uri: redirectUri, scope: info.body.scope, state: 'st', nonce, code_challenge: challenge, code_challenge_method: 'S256' };
      for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
      const back = await idp.logIn(url.toString(), account);
      assert.equal(back.searchParams.get('state'), 'st');
      return back.searchParams.get('code')!;
    };

    it('answers the authorization endpoint and client id without credentials, never the secret', async () => {
      const info = await h.call('GET', 'identity/aad/authorization', { auth: null });
      assert.equal(info.status, 200, info.text);
      assert.deepEqual(info.body, { provider: 'aad', clientId: idp.clientId, authorizationEndpoint: `${idp.issuer}/auth`, scope: 'openid profile email' });
      const missing = await h.call('GET', 'identity/aadB2C/authorization', { auth: null });
      assert.equal(missing.status, 404);
      const other = await h.call('GET', 'identity/google/authorization', { auth: null });
      assert.equal(other.status, 404);
    });

    it('redeems a real code with the stored secret and signs the user in', async () => {
      idp.accounts.set('code-user', { email: 'code.user@example.com', given_name: 'Code', family_name: 'User' });
      const { verifier, challenge } = pkce();
      const code = await codeFor('code-user', 'nonce-0123456789', challenge);
      const reply = await h.call('POST', 'identity/aad/authorizationCode', { auth: null, body: { code, codeVerifier: verifier, redirectUri, nonce: 'nonce-0123456789' } });
      assert.equal(reply.status, 200, reply.text);
      const user = (await h.call('GET', `users/${reply.body.id}`)).body.properties;
      assert.equal(user.email, 'code.user@example.com');
      assert.deepEqual(user.identities, [{ provider: 'Aad', id: 'code-user' }]);
      // A code works once.
      const replay = await h.call('POST', 'identity/aad/authorizationCode', { auth: null, body: { code, codeVerifier: verifier, redirectUri, nonce: 'nonce-0123456789' } });
      assert.equal(replay.status, 401);
      assert.match(replay.body.error.message, /refused the authorization code \(invalid_grant\)/);
    });

    it('refuses an id token whose nonce is not the one the sign-in started with', async () => {
      idp.accounts.set('nonce-user', { email: 'nonce.user@example.com' });
      const { verifier, challenge } = pkce();
      const code = await codeFor('nonce-user', 'nonce-the-real-one', challenge);
      const reply = await h.call('POST', 'identity/aad/authorizationCode', { auth: null, body: { code, codeVerifier: verifier, redirectUri, nonce: 'nonce-another-one' } });
      assert.equal(reply.status, 401, reply.text);
      assert.match(reply.body.error.message, /nonce/);
    });

    it('refuses a wrong PKCE verifier at the provider', async () => {
      idp.accounts.set('pkce-user', { email: 'pkce.user@example.com' });
      const code = await codeFor('pkce-user', 'nonce-0123456789', pkce().challenge);
      const reply = await h.call('POST', 'identity/aad/authorizationCode', { auth: null, body: { code, codeVerifier: pkce().verifier, redirectUri, nonce: 'nonce-0123456789' } });
      assert.equal(reply.status, 401, reply.text);
    });

    it('refuses a body that is not a code request, naming the property', async () => {
      const good = { code: 'c', codeVerifier: 'v'.repeat(43), redirectUri, nonce: 'nonce-0123456789' };
      const cases: Array<[Record<string, unknown>, string]> = [
        [{ ...good, code: 5 }, 'code'],
        [{ ...good, codeVerifier: 'short' }, 'codeVerifier'],
        [{ ...good, redirectUri: 'javascript:alert(1)' }, 'redirectUri'],
        [{ ...good, nonce: undefined }, 'nonce'],
        [{ ...good, extra: 1 }, 'extra'],
      ];
      for (const [body, target] of cases) {
        const reply = await h.call('POST', 'identity/aad/authorizationCode', { auth: null, body });
        assert.equal(reply.status, 400, reply.text);
        assert.equal(reply.body.error.details[0].target, target);
      }
      const wrongVerb = await h.call('GET', 'identity/aad/authorizationCode', { auth: null });
      assert.equal(wrongVerb.status, 405);
    });
  });
});

describe('identity provider authority', () => {
  let h: ManagementHarness;
  before(async () => (h = await startManagement()));
  after(async () => h.close());
  const save = (authority: string) => h.call('PUT', 'identityProviders/aad', { body: { properties: { clientId: 'c', clientSecret: 's', authority } } });

  it('takes a host name, an https URL, or http on a loopback address', async () => {
    for (const authority of ['login.microsoftonline.com', 'https://id.example.com/tenant', 'http://127.0.0.1:4011/oidc', 'http://localhost:4011', 'http://[::1]:4011']) {
      const reply = await save(authority);
      assert.ok(reply.status === 200 || reply.status === 201, `${authority}: ${reply.text}`);
    }
  });

  it('refuses plain http elsewhere, other schemes and malformed values, naming authority', async () => {
    for (const [authority, message] of [
      ['http://10.0.0.5/oidc', /loopback/],
      ['http://id.example.com', /loopback/],
      ['ftp://id.example.com', /https/],
      ['https://user:pw@id.example.com', /credentials/],
      ['login.microsoftonline.com/tenant', /host name/],
    ] as const) {
      const reply = await save(authority);
      assert.equal(reply.status, 400, `${authority}: ${reply.text}`);
      assert.equal(reply.body.error.details[0].target, 'authority');
      assert.match(reply.body.error.details[0].message, message);
    }
  });
});

describe("an identity provider's keys", () => {
  /** A discovery server whose published keys the test changes, and which can hold its answers. */
  let server: Server;
  let issuer = '';
  let published: JWK[] = [];
  let hold = false;
  const fetches: string[] = [];
  let clock = new Date('2030-01-01T00:00:00Z');
  let h: ManagementHarness;

  before(async () => {
    server = createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://idp').pathname;
      fetches.push(path);
      // Never answered while held: the fetch must give up on its own.
      if (hold) return;
      const json = (body: object) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      if (path === '/.well-known/openid-configuration') json({ issuer, jwks_uri: `${issuer}/keys`, authorization_endpoint: `${issuer}/auth`, token_endpoint: `${issuer}/token` });
      else if (path === '/keys') json({ keys: published });
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    h = await startManagement({ now: () => clock, signInLimiter: new SignInLimiter({ limit: 1000 }) });
    const saved = await h.call('PUT', 'identityProviders/aad', { body: { properties: { clientId: 'client-1', clientSecret: 's', authority: issuer } } });
    assert.equal(saved.status, 201, saved.text);
  });
  after(async () => {
    await h.close();
    await new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve())));
  });

  const keyPair = async (kid: string) => {
    const pair = await generateKeyPair('RS256', { extractable: true });
    return { kid, privateKey: pair.privateKey, jwk: { ...(await exportJWK(pair.publicKey)), kid, use: 'sig', alg: 'RS256' } };
  };
  const token = (key: { kid: string; privateKey: KeyLike }, sub: string) => {
    const now = Math.floor(clock.getTime() / 1000);
    return new SignJWT({ iss: issuer, aud: 'client-1', sub, email: `${sub}@example.com`, exp: now + 600 }).setProtectedHeader({ alg: 'RS256', kid: key.kid }).sign(key.privateKey);
  };
  const signIn = async (jwt: string) => h.call('GET', 'identity', { auth: `Aad id_token="${jwt}"` });
  const keyFetches = () => fetches.filter((f) => f === '/keys').length;

  it('are fetched again for an unknown kid, at most once every 5 minutes', async () => {
    const first = await keyPair('key-1');
    published = [first.jwk];
    assert.equal((await signIn(await token(first, 'rotating'))).status, 200);
    assert.equal((await signIn(await token(first, 'rotating'))).status, 200);
    assert.equal(keyFetches(), 1, 'the keys are cached');
    // The provider rolls its key over.
    const second = await keyPair('key-2');
    published = [second.jwk];
    const early = await signIn(await token(second, 'rotating'));
    assert.equal(early.status, 401, 'within 5 minutes of the last fetch the keys are not fetched again');
    assert.match(early.body.error.message, /Unable to match key: kid: 'key-2'/);
    assert.equal(keyFetches(), 1);
    clock = new Date(clock.getTime() + 5 * 60 * 1000);
    const later = await signIn(await token(second, 'rotating'));
    assert.equal(later.status, 200, later.text);
    assert.equal(keyFetches(), 2);
  });

  it('are given up on when the provider does not answer (5 s), refusing the token', async () => {
    const other = await h.call('PUT', 'identityProviders/aadB2C', { body: { properties: { clientId: 'client-1', clientSecret: 's', authority: `${issuer}/b2c` } } });
    assert.equal(other.status, 201, other.text);
    hold = true;
    try {
      const key = await keyPair('key-3');
      const reply = await h.call('GET', 'identity', { auth: `AadB2C id_token="${await token(key, 'held')}"` });
      assert.equal(reply.status, 401, reply.text);
      assert.match(reply.body.error.message, /could not be retrieved/);
    } finally {
      hold = false;
    }
  });
});

describe('failed id token sign-ins', () => {
  let h: ManagementHarness;
  let idp: OidcTestProvider;
  before(async () => {
    idp = await startOidcTestProvider([redirectUri]);
    h = await startManagement({ signInLimiter: new SignInLimiter({ limit: 2 }) });
    await h.call('PUT', 'identityProviders/aad', { body: { properties: { clientId: idp.clientId, clientSecret: idp.clientSecret, authority: idp.issuer } } });
  });
  after(async () => {
    await h.close();
    await idp.close();
  });

  it('are limited per client address, even for a good token afterwards', async () => {
    const wrong = await idp.sign({ sub: 'x', email: 'x@example.com', aud: 'someone-else' });
    assert.equal((await h.call('GET', 'identity', aad(wrong))).status, 401);
    assert.equal((await h.call('GET', 'identity', aad(wrong))).status, 401);
    const limited = await h.call('GET', 'identity', aad(await idp.sign({ sub: 'x', email: 'x@example.com' })));
    assert.equal(limited.status, 429, limited.text);
    assert.ok(Number(limited.headers.get('retry-after')) > 0);
    const code = await h.call('POST', 'identity/aad/authorizationCode', { auth: null, body: { code: 'c', codeVerifier: 'v'.repeat(43), redirectUri, nonce: 'nonce-0123456789' } });
    assert.equal(code.status, 429);
  });
});
