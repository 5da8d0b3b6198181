/**
 * Self-service sign-up, confirmation and password reset (docs/sign-up.md) through the real
 * management handler over real HTTP and a real SQLite store, the mails written by the real
 * outbox sender and read back with mailparser: the flows, the tickets' expiry and single use,
 * no account enumeration, hostile bodies, the limits, and a mail server that does not answer.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { smtpMailSender } from '../../../src/main/smtp-mail-sender.js';
import { parseSmtpUrl } from '../../../src/main/smtp-url.js';
import { SignInLimiter } from '../../../src/management/arm/sign-in-limiter.js';
import { portalLinkIn } from '../../helpers/mail-links.js';
import { apiVersion, servicePath, startManagement } from './arm-harness.js';
import { assertCode, basic, harness, portalUrl, ticketOf, type SelfServiceHarness } from './self-service-harness.js';

describe('sign-up and its confirmation', () => {
  let t: SelfServiceHarness;
  before(async () => {
    t = await harness();
    const admin = await t.h.call('PUT', 'users/carla', { body: { properties: { email: 'Carla@Example.com', firstName: 'Carla', lastName: 'Diaz', password: 'carla-old-password' } } });
    assert.equal(admin.status, 201, admin.text);
  });
  after(() => t.close());

  it('creates a pending user, mails a confirmation link, and confirming signs the user in', async () => {
    const signUp = await t.post('signup', { email: 'ana@example.com', password: 'ana-password-1', firstName: 'Ana', lastName: 'Lima' });
    assert.equal(signUp.status, 202, signUp.text);
    assert.deepEqual(signUp.body, {});
    const [mail] = await t.mails(1);
    assert.equal(mail!.to, 'ana@example.com');
    assert.match(mail!.subject, /gatehouse/);
    assert.match(mail!.html, /<a href="https:\/\/portal\.example\.test\/confirm\?userId=/);
    assert.equal(portalLinkIn(mail!, portalUrl).pathname, '/confirm');
    const { userId, ticket } = ticketOf(mail!);
    assert.match(userId, /^[0-9a-f]{24}$/);

    const stored = await t.h.store.get(`users/${userId}`);
    assert.equal(stored?.body.state, 'pending');
    assert.equal(stored?.body.email, 'ana@example.com');
    assert.deepEqual(stored?.body.identities, [{ provider: 'Basic', id: 'ana@example.com' }]);
    assert.equal(stored?.body.registrationDate, '2030-03-01T09:00:00.000Z');
    assert.match(String(stored?.body.password), /^scrypt\$/);
    // A pending user cannot sign in yet.
    assert.equal((await t.h.call('GET', 'identity', { auth: basic('ana@example.com', 'ana-password-1') })).status, 401);

    const confirmed = await t.post('confirm', { userId, ticket });
    assert.equal(confirmed.status, 200, confirmed.text);
    assert.equal(confirmed.body.id, userId);
    const token = /token="([^"]+)"/.exec(confirmed.headers.get('ocp-apim-sas-token') ?? '')?.[1];
    assert.equal(token, confirmed.body.value);
    const who = await t.h.call('GET', 'identity', { auth: `SharedAccessSignature ${token}` });
    assert.deepEqual(who.body, { id: userId });
    const self = await t.h.call('GET', `users/${userId}`, { auth: `SharedAccessSignature ${token}` });
    assert.equal(self.status, 200, self.text);
    assert.equal(self.body.properties.state, 'active');
    assert.equal((await t.h.call('GET', 'identity', { auth: basic('ana@example.com', 'ana-password-1') })).status, 200);

    // The ticket is spent: the user is no longer pending.
    assertCode(await t.post('confirm', { userId, ticket }), 400, 'InvalidTicket');
  });

  it('answers a taken address exactly as a new one, creates no user, and mails its owner instead', async () => {
    const before = (await t.h.store.list({ kind: 'user', parent: '' })).items.length;
    const already = await t.mails(0);
    const taken = await t.post('signup', { email: 'carla@EXAMPLE.com', password: 'someone-else-1', firstName: 'Eve', lastName: 'X' });
    const fresh = await t.post('signup', { email: 'dora@example.com', password: 'dora-password-1', firstName: 'Dora', lastName: 'Y' });
    assert.equal(taken.status, fresh.status);
    assert.equal(taken.text, fresh.text);
    assert.equal(taken.headers.get('content-type'), fresh.headers.get('content-type'));
    assert.equal((await t.h.store.list({ kind: 'user', parent: '' })).items.length, before + 1);
    const mails = (await t.mails(already.length + 2)).slice(already.length);
    const toCarla = mails.find((m) => m.to.toLowerCase() === 'carla@example.com')!;
    assert.ok(toCarla, 'a mail to the registered address');
    assert.match(toCarla.text, /already has an account/);
    assert.equal(portalLinkIn(toCarla, portalUrl).href, `${portalUrl}/reset-password`);
    assert.doesNotMatch(toCarla.text, /Eve|ticket=/, 'nothing the stranger typed, no ticket');
    // The owner's password is unchanged.
    assert.equal((await t.h.call('GET', 'identity', { auth: basic('carla@example.com', 'carla-old-password') })).status, 200);
  });

  it('signing up again with a pending address mails a new link to the same user; the earlier link dies', async () => {
    const already = (await t.mails(0)).length;
    assert.equal((await t.post('signup', { email: 'eli@example.com', password: 'first-password', firstName: 'Eli', lastName: 'Z' })).status, 202);
    const first = ticketOf((await t.mails(already + 1))[already]!);
    assert.equal((await t.post('signup', { email: 'ELI@example.com', password: 'second-password', firstName: 'Eli', lastName: 'Z' })).status, 202);
    const second = ticketOf((await t.mails(already + 2))[already + 1]!);
    assert.equal(second.userId, first.userId, 'no second user');
    assert.notEqual(second.ticket, first.ticket);
    assertCode(await t.post('confirm', first), 400, 'InvalidTicket');
    assert.equal((await t.post('confirm', second)).status, 200);
    assert.equal((await t.h.call('GET', 'identity', { auth: basic('eli@example.com', 'second-password') })).status, 200);
  });

  it('refuses wrong tickets and unknown or impossible user ids alike', async () => {
    const already = (await t.mails(0)).length;
    assert.equal((await t.post('signup', { email: 'fay@example.com', password: 'fay-password', firstName: 'Fay', lastName: 'Q' })).status, 202);
    const { userId, ticket } = ticketOf((await t.mails(already + 1))[already]!);
    const other = ticketOf((await t.mails(1))[0]!);
    for (const attempt of [
      { userId, ticket: ticket.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')) },
      { userId, ticket: other.ticket },
      { userId: 'ffffffffffffffffffffffff', ticket },
      { userId: '../tenant', ticket },
      { userId: 'carla', ticket },
    ]) {
      const reply = await t.post('confirm', attempt);
      assertCode(reply, 400, 'InvalidTicket');
    }
    // Still pending, and the right ticket still works.
    assert.equal((await t.post('confirm', { userId, ticket })).status, 200);
  });

  it('confirms while tenant access is disabled, but answers 401 instead of a token; regenerating the key kills tickets', async () => {
    const already = (await t.mails(0)).length;
    assert.equal((await t.post('signup', { email: 'hal@example.com', password: 'hal-password', firstName: 'Hal', lastName: 'T' })).status, 202);
    assert.equal((await t.post('signup', { email: 'ida@example.com', password: 'ida-password', firstName: 'Ida', lastName: 'U' })).status, 202);
    const [hal, ida] = (await t.mails(already + 2)).slice(already).map(ticketOf);
    assert.equal((await t.h.call('PATCH', 'tenant/access', { body: { properties: { enabled: false } }, headers: { 'if-match': '*' } })).status, 200);
    try {
      assertCode(await t.post('confirm', hal!), 401, 'AuthenticationFailed');
      assert.equal((await t.h.store.get(`users/${hal!.userId}`))?.body.state, 'active', 'confirmed all the same');
    } finally {
      assert.equal((await t.h.call('PATCH', 'tenant/access', { body: { properties: { enabled: true } }, headers: { 'if-match': '*' } })).status, 200);
    }
    assert.equal((await t.h.call('POST', 'tenant/access/regeneratePrimaryKey')).status, 204);
    assertCode(await t.post('confirm', ida!), 400, 'InvalidTicket');
  });

  it('expires a confirmation ticket after 48 hours', async () => {
    const already = (await t.mails(0)).length;
    assert.equal((await t.post('signup', { email: 'gus@example.com', password: 'gus-password', firstName: 'Gus', lastName: 'R' })).status, 202);
    const link = ticketOf((await t.mails(already + 1))[already]!);
    const start = t.clock.now;
    t.clock.now = new Date(start.getTime() + 48 * 3600 * 1000);
    try {
      assertCode(await t.post('confirm', link), 400, 'InvalidTicket');
    } finally {
      t.clock.now = start;
    }
  });
});

describe('password reset', () => {
  let t: SelfServiceHarness;
  before(async () => {
    t = await harness();
    assert.equal((await t.h.call('PUT', 'users/hana', { body: { properties: { email: 'hana@example.com', firstName: 'Hana', lastName: 'S', password: 'hana-old-password' } } })).status, 201);
    assert.equal((await t.h.call('PUT', 'users/ivo', { body: { properties: { email: 'ivo@example.com', firstName: 'Ivo', lastName: 'B', state: 'blocked' } } })).status, 201);
  });
  after(() => t.close());

  it('mails a link; the new password replaces the old; every earlier ticket stops working', async () => {
    const unknown = await t.post('passwordReset', { email: 'nobody@example.com' });
    const blocked = await t.post('passwordReset', { email: 'ivo@example.com' });
    const known = await t.post('passwordReset', { email: 'HANA@example.com' });
    const again = await t.post('passwordReset', { email: 'hana@example.com' });
    for (const reply of [unknown, blocked, known, again]) {
      assert.equal(reply.status, 202, reply.text);
      assert.equal(reply.text, '{}');
    }
    const mails = await t.mails(2);
    assert.deepEqual(mails.map((m) => m.to), ['hana@example.com', 'hana@example.com'], 'none to the unknown or the blocked');
    const [first, second] = mails.map(ticketOf);
    assert.equal(portalLinkIn(mails[0]!, portalUrl).pathname, '/reset-password');
    assert.equal(first!.userId, 'hana');

    assertCode(await t.post('passwordReset/confirm', { ...second, password: 'short' }), 400, 'ValidationError', 'password');
    const done = await t.post('passwordReset/confirm', { userId: second!.userId, ticket: second!.ticket, password: 'hana-new-password' });
    assert.equal(done.status, 204, done.text);
    assert.equal((await t.h.call('GET', 'identity', { auth: basic('hana@example.com', 'hana-old-password') })).status, 401);
    assert.equal((await t.h.call('GET', 'identity', { auth: basic('hana@example.com', 'hana-new-password') })).status, 200);
    // Single use, and the earlier ticket went with the old password.
    assertCode(await t.post('passwordReset/confirm', { userId: second!.userId, ticket: second!.ticket, password: 'hana-third-password' }), 400, 'InvalidTicket');
    assertCode(await t.post('passwordReset/confirm', { userId: first!.userId, ticket: first!.ticket, password: 'hana-third-password' }), 400, 'InvalidTicket');
    // A confirmation ticket is not a reset ticket.
    assertCode(await t.post('confirm', { userId: 'hana', ticket: second!.ticket }), 400, 'InvalidTicket');
  });

  it('expires a reset ticket after an hour', async () => {
    const already = (await t.mails(0)).length;
    assert.equal((await t.post('passwordReset', { email: 'hana@example.com' })).status, 202);
    const link = ticketOf((await t.mails(already + 1))[already]!);
    const start = t.clock.now;
    t.clock.now = new Date(start.getTime() + 3600 * 1000);
    try {
      assertCode(await t.post('passwordReset/confirm', { ...link, password: 'late-password' }), 400, 'InvalidTicket');
    } finally {
      t.clock.now = start;
    }
    assert.equal((await t.post('passwordReset/confirm', { ...link, password: 'in-time-password' })).status, 204);
  });
});

describe('hostile self-service requests', () => {
  let t: SelfServiceHarness;
  before(async () => {
    t = await harness();
  });
  after(() => t.close());

  const valid = { email: 'jo@example.com', password: 'jo-password', firstName: 'Jo', lastName: 'K' };

  it('takes JSON only, with exactly its fields, checked as users are', async () => {
    // The harness always sends JSON's content type: these go out with their own.
    for (const [type, text] of [['text/plain', JSON.stringify(valid)], ['application/x-www-form-urlencoded', 'email=a'], ['', JSON.stringify(valid)]] as const) {
      const res = await fetch(`${t.h.url}${servicePath}/identity/signup?api-version=${apiVersion}`, { method: 'POST', headers: type ? { 'content-type': type } : {}, body: new TextEncoder().encode(text) });
      assert.equal(res.status, 415, type);
      assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'UnsupportedMediaType');
    }
    assertCode(await t.post('signup', { ...valid, state: 'active' }), 400, 'ValidationError', 'state');
    assertCode(await t.post('signup', { ...valid, email: undefined }), 400, 'ValidationError', 'email');
    assertCode(await t.post('signup', { ...valid, email: 'not-an-address' }), 400, 'ValidationError', 'email');
    // One mailbox only: a list would mail someone other than the account's address.
    for (const email of ['victim@example.com,x', 'x <victim@example.com>', 'a@b.c;victim@example.com', '"v"@example.com']) {
      assertCode(await t.post('signup', { ...valid, email }), 400, 'ValidationError', 'email');
      assertCode(await t.post('passwordReset', { email }), 400, 'ValidationError', 'email');
    }
    assertCode(await t.post('signup', { ...valid, firstName: 'x'.repeat(101) }), 400, 'ValidationError', 'firstName');
    assertCode(await t.post('signup', { ...valid, password: 7 }), 400, 'ValidationError', 'password');
    assertCode(await t.post('signup', { ...valid, password: 'seven77' }), 400, 'ValidationError', 'password');
    assertCode(await t.post('signup', { ...valid, password: 'é'.repeat(129) }), 400, 'ValidationError', 'password');
    assertCode(await t.h.call('POST', 'identity/signup', { raw: '[1]', auth: null }), 400, 'InvalidRequestContent');
    assertCode(await t.h.call('POST', 'identity/signup', { raw: '{"email":', auth: null }), 400, 'InvalidRequestContent');
    assertCode(await t.h.call('POST', 'identity/signup', { raw: JSON.stringify({ ...valid, firstName: 'x'.repeat(20_000) }), auth: null }), 413, 'RequestEntityTooLarge');
    assertCode(await t.post('confirm', { userId: 'x', ticket: ['a'] }), 400, 'ValidationError', 'ticket');
    assert.equal((await t.h.store.list({ kind: 'user', parent: '' })).items.length, 0, 'no user from any of them');
  });

  it('needs api-version and POST, and ignores an Authorization header', async () => {
    assert.equal((await t.h.call('POST', 'identity/signup', { raw: JSON.stringify(valid), auth: null, apiVersion: null })).status, 400);
    assertCode(await t.h.call('GET', 'identity/signup', { auth: null }), 405, 'MethodNotAllowed');
    assertCode(await t.h.call('PUT', 'identity/passwordReset/confirm', { body: {}, auth: null }), 405, 'MethodNotAllowed');
    const withJunk = await t.post('signup', valid, { authorization: 'Bearer not-the-admin-token' });
    assert.equal(withJunk.status, 202, withJunk.text);
    const withBasic = await t.post('passwordReset', { email: 'jo@example.com' }, { authorization: basic('jo@example.com', 'wrong') });
    assert.equal(withBasic.status, 202, withBasic.text);
  });
});

describe('self-service limits', () => {
  it('answers 429 with Retry-After past the per-address and the per-mailbox limits', async () => {
    const t = await harness({
      limits: { perAddress: new SignInLimiter({ limit: 6, windowMs: 60_000 }), perAccount: new SignInLimiter({ limit: 2, windowMs: 60_000 }) },
    });
    try {
      assert.equal((await t.post('passwordReset', { email: 'kim@example.com' })).status, 202);
      assert.equal((await t.post('passwordReset', { email: 'kim@example.com' })).status, 202);
      const mailbox = await t.post('passwordReset', { email: 'KIM@example.com' });
      assertCode(mailbox, 429, 'TooManyRequests');
      assert.match(mailbox.headers.get('retry-after') ?? '', /^[1-9]\d*$/);
      // Another mailbox from the same address still gets through, until the address's limit.
      assert.equal((await t.post('passwordReset', { email: 'lea@example.com' })).status, 202);
      assert.equal((await t.post('confirm', { userId: 'x', ticket: 'y' })).status, 400);
      assert.equal((await t.post('confirm', { userId: 'x', ticket: 'y' })).status, 400);
      const address = await t.post('signup', { email: 'max@example.com', password: 'max-password', firstName: 'M', lastName: 'N' });
      assertCode(address, 429, 'TooManyRequests');
      assert.ok(address.headers.get('retry-after'));
    } finally {
      await t.close();
    }
  });
});

describe('self-service limits with relayed client addresses', () => {
  it('counts each relayed visitor under their own address, as the portal names it', async () => {
    // The portal's relay proves the address with a secret (relayed-client-address.ts); here a plain header stands for it.
    const t = await harness({
      limits: { perAddress: new SignInLimiter({ limit: 2, windowMs: 60_000 }), perAccount: new SignInLimiter({ limit: 50, windowMs: 60_000 }) },
      clientAddress: (req) => String(req.headers['x-test-client'] ?? req.socket.remoteAddress),
    });
    try {
      const from = (client: string, email: string) => t.post('passwordReset', { email }, { 'x-test-client': client });
      assert.equal((await from('198.51.100.1', 'a@example.com')).status, 202);
      assert.equal((await from('198.51.100.1', 'b@example.com')).status, 202);
      assertCode(await from('198.51.100.1', 'c@example.com'), 429, 'TooManyRequests');
      assert.equal((await from('198.51.100.2', 'c@example.com')).status, 202, 'another visitor behind the same relay');
    } finally {
      await t.close();
    }
  });
});

describe('without a mail sender, or with one that fails', () => {
  it('answers 404 when the handler has no mail sender', async () => {
    const h = await startManagement();
    try {
      const reply = await h.call('POST', 'identity/signup', { raw: '{}', auth: null });
      assertCode(reply, 404, 'NotFound');
    } finally {
      await h.close();
    }
  });

  it('still answers 202 when the SMTP server cannot be reached, and the user can sign up again', async () => {
    // A port that was free a moment ago: nothing listens there.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const h = await startManagement({ mail: { mail: smtpMailSender(parseSmtpUrl(`smtp://127.0.0.1:${port}`)), portalUrl } });
    try {
      const body = JSON.stringify({ email: 'ned@example.com', password: 'ned-password', firstName: 'Ned', lastName: 'O' });
      for (let i = 0; i < 2; i++) {
        const reply = await h.call('POST', 'identity/signup', { raw: body, auth: null });
        assert.equal(reply.status, 202, reply.text);
        assert.equal(reply.text, '{}');
      }
      const users = (await h.store.list({ kind: 'user', parent: '' })).items;
      assert.deepEqual(users.map((u) => [u.body.email, u.body.state]), [['ned@example.com', 'pending']]);
    } finally {
      await h.close();
    }
  });
});
