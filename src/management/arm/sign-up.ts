/**
 * Self-service sign-up and its confirmation (docs/sign-up.md). `POST …/identity/signup` creates
 * a pending user and mails a confirmation link, or, for a registered address, mails its owner
 * that someone tried; the answer is the same 202 either way, so addresses cannot be probed.
 * `POST …/identity/confirm` checks the link's ticket, makes the user active and answers as the
 * sign-in exchange does.
 */
import type { IncomingMessage } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { EntityTransaction, StoredEntity } from '../../core/entity-store.js';
import { alreadyRegisteredMail, confirmationMail } from './account-mails.js';
import { bindingOf, issueTicket } from './account-tickets.js';
import { hashPassword } from './password-hash.js';
import { checkProperties } from './put-resource.js';
import type { ArmResponse } from './resource-operations.js';
import { accepted, checkNewPassword, checkPlainAddress, countRequest, deliver, readStringFields, readTicketKey, selfServiceActor, ticketHolder, userName, type SelfServiceDeps } from './self-service-context.js';
import { signedInAnswer, userByEmail } from './signed-in-user.js';
import { userKind } from './kinds/user.js';
import type { MailMessage } from '../../core/mail-sender.js';

/** Azure's id for a portal sign-up: 24 hexadecimal characters. */
const newUserId = (): string => randomBytes(12).toString('hex');

/** Answers `POST …/identity/signup`. */
export async function signUp(req: IncomingMessage, deps: SelfServiceDeps): Promise<ArmResponse> {
  const given = await readStringFields(req, { email: 254, password: 1024, firstName: 100, lastName: 100 });
  // The same rules as a user written by the administrator (email pattern, lengths).
  checkProperties(userKind, { email: given.email, firstName: given.firstName, lastName: given.lastName }, 'PUT');
  checkPlainAddress(given.email);
  checkNewPassword(given.password);
  const limited = countRequest(deps.limits.perAccount, [`mailbox:${given.email.toLowerCase()}`]);
  if (limited) return limited;
  // Hashed whether or not the address is taken, so the answer takes as long either way.
  const hash = await hashPassword(given.password);
  const message = await deps.store.transaction(selfServiceActor, async (tx): Promise<MailMessage> => {
    const existing = await userByEmail(tx, given.email);
    if (existing && existing.body.state !== 'pending') return alreadyRegisteredMail(deps.site, String(existing.body.email));
    const user = existing ? await renewPendingUser(tx, existing as StoredEntity, given, hash) : await createPendingUser(tx, given, hash, deps.now());
    const ticket = issueTicket(await readTicketKey(tx, deps.sealer), 'confirm-signup', userName(user), bindingOf(user.body), deps.now());
    return confirmationMail(deps.site, String(user.body.email), userName(user), ticket);
  });
  deliver(deps, message);
  return accepted();
}

interface SignUpFields {
  email: string;
  firstName: string;
  lastName: string;
}

async function createPendingUser(tx: EntityTransaction, given: SignUpFields, hash: string, now: Date): Promise<StoredEntity> {
  const body = {
    email: given.email,
    firstName: given.firstName,
    lastName: given.lastName,
    state: 'pending',
    registrationDate: now.toISOString(),
    identities: [{ provider: 'Basic', id: given.email }],
    password: hash,
  };
  return tx.put({ kind: 'user', id: `users/${newUserId()}`, parent: '', body }, { ifNoneMatch: '*' });
}

/**
 * A second sign-up of a pending address takes the new password and names and mails a new link:
 * the new hash is in the tickets' binding, so earlier links (perhaps a stranger's) stop working.
 */
async function renewPendingUser(tx: EntityTransaction, existing: StoredEntity, given: SignUpFields, hash: string): Promise<StoredEntity> {
  const body = { ...existing.body, firstName: given.firstName, lastName: given.lastName, password: hash };
  return tx.put({ kind: 'user', id: existing.id, parent: existing.parent, body }, { ifMatch: existing.etag });
}

const pending: ReadonlySet<string> = new Set(['pending']);

/** Answers `POST …/identity/confirm`. */
export async function confirmSignUp(req: IncomingMessage, deps: SelfServiceDeps): Promise<ArmResponse> {
  const given = await readStringFields(req, { userId: 80, ticket: 200 });
  const account = `user:${given.userId.toLowerCase()}`;
  const limited = countRequest(deps.limits.perAccount, [account]);
  if (limited) return limited;
  const confirmed = await deps.store.transaction(selfServiceActor, async (tx) => {
    const user = await ticketHolder(tx, deps, given, ['confirm-signup'], pending);
    await tx.put({ kind: 'user', id: user.id, parent: user.parent, body: { ...user.body, state: 'active' } }, { ifMatch: user.etag });
    return user;
  });
  // A confirmed account's failures are forgotten, as a successful sign-in's are.
  deps.limits.perAccount.succeeded(account, '');
  return signedInAnswer(confirmed, deps);
}
