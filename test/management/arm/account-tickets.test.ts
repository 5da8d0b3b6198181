/**
 * The mailed links' tickets (account-tickets.ts): a ticket holds for its purpose, user and
 * binding until its expiry, and for nothing else: not after it, not changed in any character,
 * not for another user or purpose, not once the user's state, e-mail or password changed, not
 * under another key.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { bindingOf, issueTicket, ticketHolds, ticketKey, ticketLifetimeMs, type TicketBinding } from '../../../src/management/arm/account-tickets.js';

const key = ticketKey('tenant-primary-key');
const at = new Date('2030-01-01T10:00:00Z');
const binding: TicketBinding = { email: 'ana@example.com', state: 'pending', passwordHash: 'scrypt$32768$8$1$c2FsdA==$aGFzaA==' };
const later = (ms: number) => new Date(at.getTime() + ms);

describe('account tickets', () => {
  it('hold for their purpose, user and binding until their expiry, and not at or after it', () => {
    for (const purpose of ['confirm-signup', 'reset-password', 'accept-invitation'] as const) {
      const ticket = issueTicket(key, purpose, 'u1', binding, at);
      assert.equal(ticketHolds(key, ticket, purpose, 'u1', binding, at), true, purpose);
      assert.equal(ticketHolds(key, ticket, purpose, 'u1', binding, later(ticketLifetimeMs[purpose] - 1000)), true, `${purpose} just before expiry`);
      assert.equal(ticketHolds(key, ticket, purpose, 'u1', binding, later(ticketLifetimeMs[purpose])), false, `${purpose} at expiry`);
    }
    assert.equal(ticketLifetimeMs['confirm-signup'], 48 * 3600 * 1000);
    assert.equal(ticketLifetimeMs['reset-password'], 3600 * 1000);
  });

  it('refuse a ticket of another purpose, user or key', () => {
    const ticket = issueTicket(key, 'reset-password', 'u1', binding, at);
    assert.equal(ticketHolds(key, ticket, 'confirm-signup', 'u1', binding, at), false);
    assert.equal(ticketHolds(key, ticket, 'accept-invitation', 'u1', binding, at), false);
    assert.equal(ticketHolds(key, ticket, 'reset-password', 'u2', binding, at), false);
    assert.equal(ticketHolds(ticketKey('regenerated-key'), ticket, 'reset-password', 'u1', binding, at), false);
  });

  it('die when the user changes: state, e-mail or password hash', () => {
    const ticket = issueTicket(key, 'confirm-signup', 'u1', binding, at);
    assert.equal(ticketHolds(key, ticket, 'confirm-signup', 'u1', { ...binding, state: 'active' }, at), false);
    assert.equal(ticketHolds(key, ticket, 'confirm-signup', 'u1', { ...binding, email: 'eve@example.com' }, at), false);
    assert.equal(ticketHolds(key, ticket, 'confirm-signup', 'u1', { ...binding, passwordHash: '' }, at), false);
  });

  it('refuse a tampered ticket: a changed expiry, a changed signature character, other shapes', () => {
    const ticket = issueTicket(key, 'reset-password', 'u1', binding, at);
    const [expiry, mac] = ticket.split('.') as [string, string];
    assert.equal(ticketHolds(key, `${Number(expiry) + 3600}.${mac}`, 'reset-password', 'u1', binding, at), false, 'extended expiry');
    for (let i = 0; i < mac.length; i++) {
      const flipped = mac.slice(0, i) + (mac[i] === 'A' ? 'B' : 'A') + mac.slice(i + 1);
      assert.equal(ticketHolds(key, `${expiry}.${flipped}`, 'reset-password', 'u1', binding, at), false, `signature character ${i}`);
    }
    for (const bad of ['', '.', `${expiry}.`, `.${mac}`, `${expiry}.${mac}=`, `${expiry}.${mac}.x`, `-1.${mac}`, `${expiry}.${mac.slice(1)}`, ticket.toUpperCase()]) {
      assert.equal(ticketHolds(key, bad, 'reset-password', 'u1', binding, at), false, JSON.stringify(bad));
    }
  });

  it('bind what a stored user body says, the e-mail in lower case', () => {
    assert.deepEqual(bindingOf({ email: 'Ana@Example.com', state: 'active', password: 'scrypt$x' }), { email: 'ana@example.com', state: 'active', passwordHash: 'scrypt$x' });
    assert.deepEqual(bindingOf({ email: 'a@b.c', state: 'pending' }), { email: 'a@b.c', state: 'pending', passwordHash: '' });
  });
});

describe('account ticket text', () => {
  it('is accepted only in its canonical form (no second spelling of one signature)', () => {
    const ticket = issueTicket(key, 'reset-password', 'u1', binding, at);
    const [expiry, mac] = ticket.split('.') as [string, string];
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const last = alphabet.indexOf(mac[mac.length - 1]!);
    // The last of 43 characters carries 4 bits of the signature and 2 spare bits: set a spare bit.
    const respelled = `${expiry}.${mac.slice(0, -1)}${alphabet[last ^ 1]}`;
    assert.deepEqual(Buffer.from(respelled.split('.')[1]!, 'base64url'), Buffer.from(mac, 'base64url'), 'the same bytes');
    assert.equal(ticketHolds(key, respelled, 'reset-password', 'u1', binding, at), false);
  });
});
