/**
 * The admin console's request handling in process, on a real HTTP listener: hostile sign-in
 * bodies, a console that was not built, files outside the manifest, session expiry as the
 * management API sees it, and the CSRF verdicts `sessionAccess` gives it.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAdminConsole, type AdminConsole, type SessionAccess } from '../../src/portal/admin-console.js';

const adminToken = 'the-admin-token-for-this-test';

/** A built console in a temporary folder: a manifest, a script and a style sheet. */
function builtAssets(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-console-'));
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'main-AAAA.js'), 'console.log("console");');
  writeFileSync(join(dir, 'main-BBBB.css'), 'body{}');
  writeFileSync(join(dir, 'secret.txt'), 'not served');
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ script: 'main-AAAA.js', style: 'main-BBBB.css' }));
  return dir;
}

/** Serves the console, and answers other paths with what sessionAccess says of them. */
async function serve(adminConsole: AdminConsole): Promise<{ server: Server; base: string }> {
  const server = createServer((req, res) => {
    if (adminConsole.handles(req)) return adminConsole.serve(req, res);
    const verdict: SessionAccess = adminConsole.sessionAccess(req as IncomingMessage);
    res.end(verdict);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe('the admin console handler', () => {
  let t = 1_000_000;
  let server: Server;
  let base: string;
  before(async () => {
    const adminConsole = createAdminConsole({ adminToken, serviceName: 'svc', assetsDir: builtAssets(), now: () => t, lifetimes: { idleMs: 60_000, absoluteMs: 600_000 }, signInLimit: { attempts: 50, windowMs: 60_000 } });
    ({ server, base } = await serve(adminConsole));
  });
  after(() => server.close());

  const signIn = (body: string, type = 'application/json') => fetch(`${base}/admin/session`, { method: 'POST', headers: { 'content-type': type }, body });

  it('refuses sign-in bodies that are not a small JSON object with a token', async () => {
    const cases: Array<[string, string, number]> = [
      ['token=x', 'application/x-www-form-urlencoded', 415],
      ['{"token":', 'application/json', 400],
      ['["token"]', 'application/json', 400],
      ['{"token":42}', 'application/json', 400],
      ['{"token":"  "}', 'application/json', 400],
      [JSON.stringify({ token: 'x'.repeat(5000) }), 'application/json', 413],
      ['{"token":"wrong"}', 'application/json', 401],
    ];
    for (const [body, type, status] of cases) {
      const res = await signIn(body, type);
      assert.equal(res.status, status, `${type} ${body.slice(0, 40)}`);
      const answer = (await res.json()) as { error: { code: string; message: string } };
      assert.ok(answer.error.code && answer.error.message);
      assert.equal(res.headers.get('set-cookie'), null);
    }
  });

  it('serves only the files the manifest names', async () => {
    for (const path of ['/admin/assets/secret.txt', '/admin/assets/manifest.json', '/admin/assets/..%2Fsecret.txt', '/admin/assets/', '/admin/other']) {
      const res = await fetch(`${base}${path}`);
      assert.equal(res.status, 404, path);
      assert.match(res.headers.get('content-security-policy') ?? '', /default-src 'none'/);
      await res.text();
    }
    const css = await fetch(`${base}/admin/assets/main-BBBB.css`);
    assert.equal(css.status, 200);
    assert.equal(css.headers.get('content-type'), 'text/css; charset=utf-8');
    assert.equal(await css.text(), 'body{}');
    const post = await fetch(`${base}/admin`, { method: 'POST' });
    assert.equal(post.status, 405);
    await post.text();
  });

  it('lets the session in for reading, asks the CSRF token for changes, and forgets an idle session', async () => {
    const res = await signIn(JSON.stringify({ token: adminToken }));
    assert.equal(res.status, 200);
    const { csrfToken } = (await res.json()) as { csrfToken: string };
    const cookie = res.headers.getSetCookie()[0]!.split(';')[0]!;
    const verdict = async (method: string, headers: Record<string, string> = {}) => (await fetch(`${base}/subscriptions/x`, { method, headers: { cookie, ...headers } })).text();
    assert.equal(await verdict('GET'), 'admin');
    assert.equal(await verdict('PUT'), 'csrf-refused');
    assert.equal(await verdict('PUT', { 'x-csrf-token': csrfToken }), 'admin');
    assert.equal(await verdict('DELETE', { 'x-csrf-token': `${csrfToken}x` }), 'csrf-refused');
    assert.equal(await (await fetch(`${base}/subscriptions/x`)).text(), 'none');
    t += 59_000;
    assert.equal(await verdict('GET'), 'admin', 'a request restarts the idle clock');
    t += 60_000;
    assert.equal(await verdict('GET'), 'none');
    const session = await fetch(`${base}/admin/session`, { headers: { cookie } });
    assert.equal(session.status, 401);
    await session.text();
  });
});

describe('an admin console that was not built', () => {
  it('answers its page with 503 and the reason, and still signs in', async () => {
    const { server, base } = await serve(createAdminConsole({ adminToken, serviceName: 'svc', assetsDir: mkdtempSync(join(tmpdir(), 'gatehouse-unbuilt-')) }));
    try {
      const page = await fetch(`${base}/admin`);
      assert.equal(page.status, 503);
      assert.match(await page.text(), /not built.*npm run build/s);
      const res = await fetch(`${base}/admin/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: adminToken }) });
      assert.equal(res.status, 200);
      await res.text();
    } finally {
      server.close();
    }
  });
});
