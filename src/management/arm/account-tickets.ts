/**
 * The tickets of the mailed links (docs/sign-up.md): stateless, `{expiry}.{mac}` where the expiry
 * is whole seconds since 1970 and the mac is HMAC-SHA256 over the purpose, the user id, the
 * expiry and a binding to what the ticket may change (the user's e-mail, state and password
 * hash). Once the user changes (confirmed, password set, e-mail changed), the binding no longer
 * matches and every earlier ticket is dead, without a list of used tickets. The key is derived
 * (HKDF) from the primary tenant access key, so tickets and user tokens never share a key, and
 * regenerating that key revokes every outstanding ticket.
 */
import { createHash, createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/** What a ticket is for: a ticket of one purpose never passes as another's. */
export type TicketPurpose = 'confirm-signup' | 'reset-password' | 'accept-invitation';

/** How long each purpose's ticket lasts (docs/sign-up.md). */
export const ticketLifetimeMs: Readonly<Record<TicketPurpose, number>> = {
  'confirm-signup': 48 * 60 * 60 * 1000,
  'reset-password': 60 * 60 * 1000,
  'accept-invitation': 48 * 60 * 60 * 1000,
};

/** The user's fields a ticket is bound to: a change of any one kills the ticket. */
export interface TicketBinding {
  email: string;
  state: string;
  /** The stored password hash, or '' when the user has none. */
  passwordHash: string;
}

/** The binding of a stored user body. */
export function bindingOf(user: Record<string, unknown>): TicketBinding {
  return {
    email: typeof user.email === 'string' ? user.email.toLowerCase() : '',
    state: typeof user.state === 'string' ? user.state : '',
    passwordHash: typeof user.password === 'string' ? user.password : '',
  };
}

/** The ticket key for a tenant access key (HKDF-SHA256, labelled, so it signs nothing else). */
export function ticketKey(tenantKey: string): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(tenantKey, 'utf8'), Buffer.alloc(0), 'gatehouse account tickets v1', 32));
}

function mac(key: Buffer, purpose: TicketPurpose, userId: string, expirySeconds: number, binding: TicketBinding): Buffer {
  // The binding is hashed so the MAC input has fixed-form fields: no separator can be smuggled in.
  const bound = createHash('sha256').update(JSON.stringify([binding.email, binding.state, binding.passwordHash])).digest('base64url');
  return createHmac('sha256', key).update(JSON.stringify([purpose, userId, expirySeconds, bound])).digest();
}

/** A new ticket for `purpose`, valid for its lifetime from `now`. */
export function issueTicket(key: Buffer, purpose: TicketPurpose, userId: string, binding: TicketBinding, now: Date): string {
  const expirySeconds = Math.floor((now.getTime() + ticketLifetimeMs[purpose]) / 1000);
  return `${expirySeconds}.${mac(key, purpose, userId, expirySeconds, binding).toString('base64url')}`;
}

const ticketShape = /^(\d{1,12})\.([A-Za-z0-9_-]{43})$/;

/**
 * Whether `ticket` was issued for `purpose` and `userId` while the user matched `binding`, and
 * has not expired at `now`. The MAC is compared in constant time.
 */
export function ticketHolds(key: Buffer, ticket: string, purpose: TicketPurpose, userId: string, binding: TicketBinding, now: Date): boolean {
  const m = ticketShape.exec(ticket);
  if (!m) return false;
  const expirySeconds = Number(m[1]);
  const presented = Buffer.from(m[2]!, 'base64url');
  const expected = mac(key, purpose, userId, expirySeconds, binding);
  // Only the canonical text of a signature: its last character's spare bits must be zero.
  const canonical = presented.toString('base64url') === m[2];
  const matches = presented.length === expected.length && timingSafeEqual(presented, expected) && canonical;
  return matches && now.getTime() < expirySeconds * 1000;
}
