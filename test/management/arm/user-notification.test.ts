/**
 * The administrator's `PUT …/users/{u}?notify=true` (user-notification.ts, docs/sign-up.md):
 * `confirmation: invite` mails an invitation whose link sets the user's password through
 * `…/identity/passwordReset/confirm`; `confirmation: signup` mails a pending user the sign-up
 * confirmation; no `notify`, no mail; a handler without a mail sender refuses `notify=true`.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { portalLinkIn } from '../../helpers/mail-links.js';
import { startManagement } from './arm-harness.js';
import { assertCode, basic, harness, portalUrl, ticketOf, type SelfServiceHarness } from './self-service-harness.js';

const person = (email: string, more: Record<string, unknown> = {}) => ({ body: { properties: { email, firstName: 'F', lastName: 'L', ...more } } });

describe('notify=true on a user PUT', () => {
  let t: SelfServiceHarness;
  before(async () => {
    t = await harness();
  });
  after(() => t.close());

  it('confirmation: invite mails a link that lets the user choose a password, once', async () => {
    assert.equal((await t.h.call('PUT', 'users/quiet', person('quiet@example.com', { confirmation: 'invite' }))).status, 201, 'no notify: no mail');
    assert.equal((await t.h.call('PUT', 'users/plain?notify=true', person('plain@example.com', { confirmation: 'signup' }))).status, 201, 'active user, signup: no mail');
    const created = await t.h.call('PUT', 'users/olga?notify=true', person('olga@example.com', { confirmation: 'invite' }));
    assert.equal(created.status, 201, created.text);
    assert.equal(created.body.properties.confirmation, undefined, 'not stored');
    const mails = await t.mails(1);
    assert.deepEqual(mails.map((m) => m.to), ['olga@example.com']);
    assert.match(mails[0]!.subject, /invited/);
    assert.equal(portalLinkIn(mails[0]!, portalUrl).pathname, '/reset-password');
    const { userId, ticket } = ticketOf(mails[0]!);
    assert.equal(userId, 'olga');
    assert.equal((await t.h.call('GET', 'identity', { auth: basic('olga@example.com', 'olga-password') })).status, 401);
    assert.equal((await t.post('passwordReset/confirm', { userId, ticket, password: 'olga-password' })).status, 204);
    assert.equal((await t.h.call('GET', 'identity', { auth: basic('olga@example.com', 'olga-password') })).status, 200);
    assertCode(await t.post('passwordReset/confirm', { userId, ticket, password: 'olga-password-2' }), 400, 'InvalidTicket');
    // An invitation is no sign-up confirmation.
    assertCode(await t.post('confirm', { userId, ticket }), 400, 'InvalidTicket');
    // The users schema allows this address; the senders refuse to read it as a list (no mail to victim@…).
    assert.equal((await t.h.call('PUT', 'users/listy?notify=true', person('victim@example.com,x', { confirmation: 'invite' }))).status, 201);
    assert.equal((await t.h.call('PUT', 'users/last?notify=true', person('last@example.com', { confirmation: 'invite' }))).status, 201);
    assert.deepEqual((await t.mails(2)).map((m) => m.to), ['olga@example.com', 'last@example.com'], 'no mail from the PUTs without a notification, none to a list');
  });

  it('confirmation: signup mails a pending user the confirmation link', async () => {
    const already = (await t.mails(0)).length;
    assert.equal((await t.h.call('PUT', 'users/pia?notify=true', person('pia@example.com', { state: 'pending', password: 'pia-password' }))).status, 201);
    const mail = (await t.mails(already + 1))[already]!;
    assert.equal(portalLinkIn(mail, portalUrl).pathname, '/confirm');
    const confirmed = await t.post('confirm', ticketOf(mail));
    assert.equal(confirmed.status, 200, confirmed.text);
    assert.equal(confirmed.body.id, 'pia');
  });

  it('still refuses appType, and an unknown confirmation', async () => {
    assertCode(await t.h.call('PUT', 'users/x?notify=true', person('x@example.com', { appType: 'developerPortal' })), 400, 'ValidationError', 'appType');
    assertCode(await t.h.call('PUT', 'users/x?notify=true', person('x@example.com', { confirmation: 'welcome' })), 400, 'ValidationError', 'confirmation');
  });
});

describe('notify=true without a mail sender', () => {
  it('is refused before anything is written', async () => {
    const h = await startManagement();
    try {
      assertCode(await h.call('PUT', 'users/zed?notify=true', person('zed@example.com', { confirmation: 'invite' })), 400, 'ValidationError', 'notify');
      assert.equal((await h.call('GET', 'users/zed')).status, 404);
    } finally {
      await h.close();
    }
  });
});
