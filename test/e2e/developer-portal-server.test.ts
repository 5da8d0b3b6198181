/**
 * The developer portal's server end to end (docs/portal.md), through a real `gatehouse start`:
 * the page with its security headers; the anonymous visitor sees what Guests see and nothing
 * else; relay paths cannot leave the service; a user signs in through the portal (the token stays
 * on the server, the browser gets an HttpOnly cookie), sees the Developers' products, subscribes
 * (CSRF token required), and once the administrator approves, lists the keys and calls the gateway
 * through the try-it relay; sign-out ends the session.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { get as httpGet } from 'node:http';
import { startGatehouseProcess, type GatehouseProcess } from './helpers/gatehouse-process.js';
import { managementClient, type ManagementAnswer } from './helpers/management-client.js';
import { waitFor } from './helpers/wait-for.js';

interface PortalAnswer {
  status: number;
  headers: Headers;
  text: string;
  body: any;
}

describe('the developer portal server through a real gatehouse process', () => {
  let gh: GatehouseProcess;
  let portalUrl: string;
  let admin: ReturnType<typeof managementClient>;

  /** A request to the portal, as a same-origin page would make it. */
  const portal = async (method: string, path: string, options: { body?: unknown; cookie?: string; csrf?: string; headers?: Record<string, string> } = {}): Promise<PortalAnswer> => {
    const res = await fetch(`${portalUrl}${path}`, {
      method,
      redirect: 'manual',
      headers: {
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(options.cookie ? { cookie: options.cookie } : {}),
        ...(options.csrf ? { 'x-csrf-token': options.csrf } : {}),
        ...options.headers,
      },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const text = await res.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    return { status: res.status, headers: res.headers, text, body };
  };
  /** A GET whose path goes on the wire exactly as written. */
  const rawGet = (path: string): Promise<{ status: number; text: string }> =>
    new Promise((resolve, reject) => {
      const { hostname, port } = new URL(portalUrl);
      const request = httpGet({ hostname, port, path }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      });
      request.on('error', reject);
    });
  const names = (answer: PortalAnswer): string[] => answer.body.value.map((r: { name: string }) => r.name).sort();

  before(async () => {
    gh = await startGatehouseProcess([]);
    await waitFor('the banner', () => /developer portal: http/.test(gh.stdout.join('\n')), gh);
    portalUrl = /developer portal: (\S+)/.exec(gh.stdout.join('\n'))![1]!;
    admin = managementClient(gh);
    const created = (reply: ManagementAnswer, what: string) => assert.ok(reply.status === 200 || reply.status === 201, `${what}: ${reply.status} ${reply.text}`);
    created(await admin('PUT', 'users/dana', { properties: { email: 'dana@example.com', firstName: 'Dana', lastName: 'Park', password: 'dana-s3cret-pw' } }), 'user');
  });
  after(async () => {
    await gh?.stop();
  });

  it('serves the page on every view path, with the consoles\' security headers, and its hashed files', async () => {
    for (const path of ['/', '/apis/echo-api', '/confirm?userId=x&ticket=y']) {
      const page = await portal('GET', path);
      assert.equal(page.status, 200, path);
      assert.match(page.text, /<title>Gatehouse developer portal<\/title>/);
      assert.match(page.headers.get('content-security-policy') ?? '', /script-src 'self'/);
      assert.equal(page.headers.get('x-frame-options'), 'DENY');
      assert.equal(page.headers.get('cache-control'), 'no-store');
    }
    const script = /src="(\/assets\/[^"]+\.js)"/.exec((await portal('GET', '/')).text)![1]!;
    const file = await portal('GET', script);
    assert.equal(file.status, 200);
    assert.match(file.headers.get('cache-control') ?? '', /immutable/);
    // Dot segments are resolved before routing: this is the page's path '/etc/passwd', never a file.
    assert.match((await rawGet('/assets/../../etc/passwd')).text, /<title>Gatehouse developer portal<\/title>/);
    assert.equal((await portal('GET', '/assets/..%2f..%2fpackage.json')).status, 404);
    assert.equal((await portal('POST', '/')).status, 405);
  });

  it('shows the anonymous visitor what Guests see, and nothing else', async () => {
    // The anonymous answer names the gateway too: the try-it console shows the full URL it calls.
    assert.deepEqual((await portal('GET', '/portal-api/session')).body, { signedIn: false, gatewayUrl: gh.gatewayUrl.replace(/\/+$/, '') });
    // The sample's starter product is shown to Guests; unlimited only to Developers.
    assert.deepEqual(names(await portal('GET', '/portal-api/management/products')), ['starter']);
    assert.equal((await portal('GET', '/portal-api/management/products/unlimited')).status, 404);
    assert.deepEqual(names(await portal('GET', '/portal-api/management/apis')), ['echo-api']);
    const operations = await portal('GET', '/portal-api/management/apis/echo-api/operations');
    assert.equal(operations.status, 200);
    assert.ok(operations.body.value.length > 0);
    const denied = await portal('GET', '/portal-api/management/namedValues');
    assert.equal(denied.status, 403);
    assert.equal(denied.body.error.code, 'AuthorizationFailed');
    assert.match(denied.body.error.message, /anonymous visitor/);
    assert.equal((await portal('GET', '/portal-api/management/users/dana')).status, 403);
    // The visitor token is minted for the reserved id, which no user can take.
    const reserved = await admin('PUT', 'users/*visitor', { properties: { email: 'v@example.com', firstName: 'V', lastName: 'V' } });
    assert.ok(reserved.status === 400 || reserved.status === 404, `${reserved.status} ${reserved.text}`);
  });

  it('never lets a relay path leave the service', async () => {
    for (const path of ['/portal-api/management/..%2f..%2fx', '/portal-api/management/apis/%2e%2e/%2e%2e/tenant/access', '/portal-api/management/apis//x', '/portal-api/management/apis/%2Fx', '/portal-api/management/apis/%zz']) {
      // Sent as written: fetch would resolve the dot segments itself.
      const answer = await rawGet(path);
      // Refused (400), or resolved to a path outside the relay first (404): never a management answer.
      assert.ok(answer.status === 400 || answer.status === 404, `${path}: ${answer.status} ${answer.text}`);
      assert.match(JSON.parse(answer.text).error.code, /^(InvalidRequestUri|NotFound)$/);
    }
  });

  it('signs a user in through the portal, subscribes with the CSRF token, and calls the gateway through the try-it relay', async () => {
    const wrong = await portal('POST', '/portal-api/session', { body: { email: 'dana@example.com', password: 'wrong-password' } });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.headers.get('set-cookie'), null);
    // Without JSON (what a form on another site would send), and from another site, nothing happens.
    const form = await fetch(`${portalUrl}/portal-api/session`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'email=dana%40example.com&password=dana-s3cret-pw' });
    assert.equal(form.status, 415);
    const crossSite = await portal('POST', '/portal-api/session', { body: { email: 'dana@example.com', password: 'dana-s3cret-pw' }, headers: { 'sec-fetch-site': 'cross-site' } });
    assert.equal(crossSite.status, 403);

    const signedIn = await portal('POST', '/portal-api/session', { body: { email: 'dana@example.com', password: 'dana-s3cret-pw' } });
    assert.equal(signedIn.status, 200, signedIn.text);
    assert.equal(signedIn.body.userId, 'dana');
    assert.doesNotMatch(signedIn.text, /SharedAccessSignature|&\d{12}&/, 'the user token never reaches the browser');
    const setCookie = signedIn.headers.get('set-cookie') ?? '';
    assert.match(setCookie, /^gatehouse-portal=[A-Za-z0-9_-]+;/);
    assert.match(setCookie, /HttpOnly/);
    assert.match(setCookie, /SameSite=Strict/);
    const cookie = setCookie.split(';')[0]!;
    const csrf = signedIn.body.csrfToken as string;
    const current = (await portal('GET', '/portal-api/session', { cookie })).body;
    assert.equal(current.userId, 'dana');
    assert.equal(current.gatewayUrl, gh.gatewayUrl.replace(/\/+$/, ''));
    assert.equal(signedIn.body.gatewayUrl, current.gatewayUrl);

    // Signed in, the Developers' products show too.
    assert.deepEqual(names(await portal('GET', '/portal-api/management/products', { cookie })), ['starter', 'unlimited']);
    const subscription = { properties: { scope: '/products/unlimited', displayName: "Dana's unlimited" } };
    const noCsrf = await portal('PUT', '/portal-api/management/subscriptions/dana-unlimited', { cookie, body: subscription });
    assert.equal(noCsrf.status, 403);
    assert.equal(noCsrf.body.error.code, 'CsrfTokenMissing');
    const subscribed = await portal('PUT', '/portal-api/management/subscriptions/dana-unlimited', { cookie, csrf, body: subscription });
    assert.ok(subscribed.status === 200 || subscribed.status === 201, subscribed.text);
    assert.equal(subscribed.body.properties.state, 'submitted');
    // The sample's Unlimited allows one subscription per user at a time (a submitted one counts).
    const second = await portal('PUT', '/portal-api/management/subscriptions/dana-unlimited-2', { cookie, csrf, body: subscription });
    assert.equal(second.status, 409, second.text);
    assert.match(second.body.error.message, /subscriptions limit is reached/);
    // A user cannot approve their own subscription.
    const selfApproval = await portal('PATCH', '/portal-api/management/subscriptions/dana-unlimited', { cookie, csrf, body: { properties: { state: 'active' } }, headers: { 'if-match': '*' } });
    assert.equal(selfApproval.status, 403);

    const approved = await admin('PATCH', 'subscriptions/dana-unlimited', { properties: { state: 'active' } }, { 'if-match': '*' });
    assert.equal(approved.status, 200, approved.text);
    const keys = await portal('POST', '/portal-api/management/subscriptions/dana-unlimited/listSecrets', { cookie, csrf, body: {} });
    assert.equal(keys.status, 200, keys.text);
    const key = keys.body.primaryKey as string;
    assert.match(key, /^[0-9a-f]{32}$/);

    await waitFor('the gateway serves the new key', async () => {
      const tried = await portal('POST', '/portal-api/try', { cookie, csrf, body: { method: 'GET', path: '/echo/resource?from=portal', headers: [['Ocp-Apim-Subscription-Key', key]] } });
      return tried.status === 200 && tried.body.status === 200;
    }, gh);
    const tried = await portal('POST', '/portal-api/try', { cookie, csrf, body: { method: 'GET', path: '/echo/resource?from=portal', headers: [['Ocp-Apim-Subscription-Key', key]] } });
    assert.match(tried.body.body, /from=portal/);
    assert.ok(tried.body.headers.some(([name]: [string, string]) => name === 'x-served-by'));
    const noKey = await portal('POST', '/portal-api/try', { cookie, csrf, body: { method: 'GET', path: '/echo/resource', headers: [] } });
    assert.equal(noKey.body.status, 401);

    const signedOutWithoutCsrf = await portal('DELETE', '/portal-api/session', { cookie });
    assert.equal(signedOutWithoutCsrf.status, 403);
    const signedOut = await portal('DELETE', '/portal-api/session', { cookie, csrf });
    assert.equal(signedOut.status, 200);
    assert.deepEqual((await portal('GET', '/portal-api/session', { cookie })).body, { signedIn: false, gatewayUrl: current.gatewayUrl });
    // The old cookie is the visitor again: Developers' products are gone.
    assert.deepEqual(names(await portal('GET', '/portal-api/management/products', { cookie })), ['starter']);
  });

  it('refuses try-it calls that would leave the gateway or smuggle headers', async () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ method: 'GET', path: '//evil.example/x', headers: [] }, /path/],
      [{ method: 'GET', path: 'http://127.0.0.1:1/x', headers: [] }, /path/],
      [{ method: 'CONNECT', path: '/x', headers: [] }, /method/],
      [{ method: 'GET', path: '/x', headers: [['Host', 'evil.example']] }, /set by the portal/],
      [{ method: 'GET', path: '/x', headers: [['X-A', 'a\r\nX-B: b']] }, /line break/],
      [{ method: 'GET', path: '/x', headers: [['Bad Name', 'v']] }, /not a valid header name/],
      [{ method: 'GET', path: '/x', headers: [], body: 'x' }, /no body/],
    ];
    for (const [body, message] of cases) {
      const answer = await portal('POST', '/portal-api/try', { body });
      assert.equal(answer.status, 400, JSON.stringify(body));
      assert.match(answer.body.error.message, message);
    }
  });
});
