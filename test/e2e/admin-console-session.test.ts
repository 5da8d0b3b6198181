/**
 * Issue 18 §4 over plain HTTP against a real `gatehouse start`: the admin console's session. The
 * console's answers carry the security headers; sign-in sets an HttpOnly, SameSite=Strict cookie
 * (`__Host-` and Secure over HTTPS); the cookie opens the management API for reading, but a
 * request that changes something without the session's CSRF token is refused and changes
 * nothing; sign-out ends the session; failed sign-in attempts are limited per client address.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { Agent } from 'undici';
import { startGatehouseProcess, type GatehouseProcess } from './helpers/gatehouse-process.js';
import { adminConsoleTarget, type AdminConsoleTarget } from './helpers/admin-console-target.js';

/** A console session as a test holds it: the cookie pair and the CSRF token. */
interface Session {
  cookie: string;
  csrfToken: string;
}

describe('the admin console session over HTTP', () => {
  let gh: GatehouseProcess;
  let target: AdminConsoleTarget;
  let origin: string;

  const signIn = async (token: string, init: { dispatcher?: Agent; base?: string } = {}) =>
    fetch(`${init.base ?? origin}/admin/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token }),
      dispatcher: init.dispatcher,
    } as RequestInit);

  const openSession = async (): Promise<Session> => {
    const res = await signIn(target.adminToken);
    assert.equal(res.status, 200);
    const body = (await res.json()) as { csrfToken: string };
    const cookie = res.headers.getSetCookie()[0]!.split(';')[0]!;
    return { cookie, csrfToken: body.csrfToken };
  };

  const arm = (path: string) => `${origin}${target.servicePath}${path}${path.includes('?') ? '&' : '?'}api-version=2024-05-01`;

  before(async () => {
    gh = await startGatehouseProcess([]);
    target = adminConsoleTarget(gh);
    origin = new URL(target.consoleUrl).origin;
  });
  after(async () => {
    await gh?.stop();
  });

  it('prints the console URL and serves the page with a strict Content-Security-Policy', async () => {
    assert.match(target.consoleUrl, /^http:\/\/[^/]+\/admin$/);
    const res = await fetch(target.consoleUrl);
    assert.equal(res.status, 200);
    const html = await res.text();
    const csp = res.headers.get('content-security-policy') ?? '';
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    // The page hands CodeMirror the same nonce its style-src allows, fresh for each response.
    const nonce = /style-src 'self' 'nonce-([^']+)'/.exec(csp)?.[1];
    assert.ok(nonce);
    assert.ok(html.includes(`<meta name="csp-nonce" content="${nonce}">`));
    const again = await fetch(target.consoleUrl);
    await again.text();
    assert.notEqual(/nonce-([^']+)/.exec(again.headers.get('content-security-policy') ?? '')?.[1], nonce);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(res.headers.get('referrer-policy'), 'no-referrer');
    assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, 'no inline script');
    // The script the page names is served, immutable, with the same headers.
    const script = /<script type="module" src="([^"]+)"/.exec(html)?.[1];
    assert.ok(script);
    const asset = await fetch(`${origin}${script}`);
    assert.equal(asset.status, 200);
    assert.match(asset.headers.get('content-type') ?? '', /javascript/);
    assert.match(asset.headers.get('cache-control') ?? '', /immutable/);
    assert.equal(asset.headers.get('x-content-type-options'), 'nosniff');
    assert.ok((await asset.arrayBuffer()).byteLength > 1000);
    const missing = await fetch(`${origin}/admin/assets/..%2Fmanifest.json`);
    assert.equal(missing.status, 404);
    await missing.text();
  });

  it('sets an HttpOnly, SameSite=Strict session cookie; the cookie reads the management API', async () => {
    const res = await signIn(target.adminToken);
    assert.equal(res.status, 200);
    const body = (await res.json()) as { csrfToken: string; servicePath: string };
    assert.equal(body.servicePath, target.servicePath);
    const [cookie] = res.headers.getSetCookie();
    assert.match(cookie!, /^gatehouse-admin=[A-Za-z0-9_-]{43}; /);
    assert.match(cookie!, /; HttpOnly/);
    assert.match(cookie!, /; SameSite=Strict/);
    assert.match(cookie!, /; Path=\//);
    assert.doesNotMatch(cookie!, /Secure/, 'plain HTTP: the browser would drop a Secure cookie');
    const pair = cookie!.split(';')[0]!;
    const apis = await fetch(arm('/apis'), { headers: { cookie: pair } });
    assert.equal(apis.status, 200);
    assert.ok(((await apis.json()) as { value: Array<{ name: string }> }).value.some((a) => a.name === 'echo-api'));
    const session = await fetch(`${origin}/admin/session`, { headers: { cookie: pair } });
    assert.equal(((await session.json()) as { csrfToken: string }).csrfToken, body.csrfToken);
    // Without the cookie (or with one the server never issued) the management API still wants the token.
    const stranger = await fetch(arm('/apis'), { headers: { cookie: 'gatehouse-admin=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' } });
    assert.equal(stranger.status, 401);
    await stranger.text();
  });

  it('refuses a request that changes something with the cookie but without the CSRF token, and stores nothing', async () => {
    const session = await openSession();
    const nv = { properties: { displayName: 'console-csrf', value: 'one' } };
    for (const headers of [{}, { 'x-csrf-token': 'not-the-token' }] as Array<Record<string, string>>) {
      const refused = await fetch(arm('/namedValues/console-csrf'), {
        method: 'PUT',
        headers: { cookie: session.cookie, 'content-type': 'application/json', ...headers },
        body: JSON.stringify(nv),
      });
      assert.equal(refused.status, 403);
      assert.equal(((await refused.json()) as { error: { code: string } }).error.code, 'CsrfTokenMissing');
    }
    const post = await fetch(arm('/apis/echo-api/listSecrets'), { method: 'POST', headers: { cookie: session.cookie } });
    assert.equal(post.status, 403);
    await post.text();
    const absent = await fetch(arm('/namedValues/console-csrf'), { headers: { cookie: session.cookie } });
    assert.equal(absent.status, 404);
    await absent.text();
    const accepted = await fetch(arm('/namedValues/console-csrf'), {
      method: 'PUT',
      headers: { cookie: session.cookie, 'content-type': 'application/json', 'x-csrf-token': session.csrfToken },
      body: JSON.stringify(nv),
    });
    assert.ok(accepted.status === 200 || accepted.status === 201, await accepted.text());
    // Another session's CSRF token does not fit this session.
    const other = await openSession();
    const crossed = await fetch(arm('/namedValues/console-csrf'), {
      method: 'DELETE',
      headers: { cookie: session.cookie, 'x-csrf-token': other.csrfToken, 'if-match': '*' },
    });
    assert.equal(crossed.status, 403);
    await crossed.text();
  });

  it('signs out: the cookie stops working and sign-out needs the CSRF token too', async () => {
    const session = await openSession();
    const forged = await fetch(`${origin}/admin/session`, { method: 'DELETE', headers: { cookie: session.cookie } });
    assert.equal(forged.status, 403);
    await forged.text();
    const out = await fetch(`${origin}/admin/session`, { method: 'DELETE', headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken } });
    assert.equal(out.status, 200);
    assert.match(out.headers.getSetCookie()[0]!, /^gatehouse-admin=; .*Max-Age=0/);
    await out.text();
    const after = await fetch(arm('/apis'), { headers: { cookie: session.cookie } });
    assert.equal(after.status, 401);
    await after.text();
  });

  it('uses a __Host- cookie with Secure over HTTPS', async () => {
    const dispatcher = new Agent({ connect: { ca: readFileSync(target.certificateFile) } });
    try {
      const res = await signIn(target.adminToken, { dispatcher, base: target.managementHttpsUrl });
      assert.equal(res.status, 200);
      await res.text();
      const [cookie] = res.headers.getSetCookie();
      assert.match(cookie!, /^__Host-gatehouse-admin=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=\d+; Secure$/);
      const apis = await fetch(`${target.managementHttpsUrl}${target.servicePath}/apis?api-version=2024-05-01`, { headers: { cookie: cookie!.split(';')[0]! }, dispatcher } as RequestInit);
      assert.equal(apis.status, 200);
      await apis.text();
    } finally {
      await dispatcher.close();
    }
  });

  it('limits failed sign-in attempts per client address: 5 a minute, then 429 with Retry-After', async () => {
    // The earlier tests signed in often from 127.0.0.1: successes are not counted.
    for (let i = 0; i < 5; i++) {
      const res = await signIn(`wrong-${i}`);
      assert.equal(res.status, 401, `attempt ${i + 1}`);
      await res.text();
    }
    const limited = await signIn(target.adminToken);
    assert.equal(limited.status, 429, 'the sixth attempt, even with the right token');
    const retryAfter = Number(limited.headers.get('retry-after'));
    assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}`);
    assert.equal(((await limited.json()) as { error: { code: string } }).error.code, 'TooManySignInAttempts');
    // Another address (127.0.0.2 on the loopback network) is not held back by this one's attempts.
    const elsewhere = await signInFrom('127.0.0.2', new URL(origin), target.adminToken);
    assert.equal(elsewhere, 200);
  });
});

/** Signs in over node:http from a chosen local address (fetch cannot choose one); answers the status. */
function signInFrom(localAddress: string, origin: URL, token: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: origin.hostname, port: origin.port, path: '/admin/session', method: 'POST', localAddress, headers: { 'content-type': 'application/json' } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify({ token }));
  });
}
