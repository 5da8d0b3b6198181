/**
 * Self-service password reset (docs/sign-up.md). `POST …/identity/passwordReset` mails a reset
 * link to an active or pending user and answers 202 whoever asked, so addresses cannot be probed.
 * `POST …/identity/passwordReset/confirm` checks the link's ticket (a reset's, or an
 * administrator's invitation's) and sets the new password; the ticket is bound to the old
 * password hash, so it and every earlier one stop working. A pending user who proves they read
 * the mail this way becomes active.
 */
import type { IncomingMessage } from 'node:http';
import type { EntityTransaction, StoredEntity } from '../../core/entity-store.js';
import { passwordResetMail } from './account-mails.js';
import { bindingOf, issueTicket } from './account-tickets.js';
import { hashPassword } from './password-hash.js';
import type { ArmResponse } from './resource-operations.js';
import {
  accepted,
  checkNewPassword,
  checkPlainAddress,
  countRequest,
  deliver,
  readStringFields,
  readTicketKey,
  selfServiceActor,
  ticketHolder,
  userName,
  type SelfServiceDeps,
} from './self-service-context.js';
import { userByEmail } from './signed-in-user.js';

/** The states whose users may reset their password. */
const resettable: ReadonlySet<string> = new Set(['active', 'pending']);

/** Answers `POST …/identity/passwordReset`. */
export async function requestPasswordReset(req: IncomingMessage, deps: SelfServiceDeps): Promise<ArmResponse> {
  const given = await readStringFields(req, { email: 254 });
  checkPlainAddress(given.email);
  const limited = countRequest(deps.limits.perAccount, [`mailbox:${given.email.toLowerCase()}`]);
  if (limited) return limited;
  const user = await userByEmail(deps.store, given.email);
  if (user && resettable.has(String(user.body.state))) {
    const name = userName(user as StoredEntity);
    const ticket = issueTicket(await readTicketKey(deps.store, deps.sealer), 'reset-password', name, bindingOf(user.body), deps.now());
    deliver(deps, passwordResetMail(deps.site, String(user.body.email), name, ticket));
  }
  return accepted();
}

/** Answers `POST …/identity/passwordReset/confirm`. */
export async function confirmPasswordReset(req: IncomingMessage, deps: SelfServiceDeps): Promise<ArmResponse> {
  const given = await readStringFields(req, { userId: 80, ticket: 200, password: 1024 });
  checkNewPassword(given.password);
  const account = `user:${given.userId.toLowerCase()}`;
  const limited = countRequest(deps.limits.perAccount, [account]);
  if (limited) return limited;
  const holds = (tx: Pick<EntityTransaction, 'get'>): Promise<StoredEntity> => ticketHolder(tx, deps, given, ['reset-password', 'accept-invitation'], resettable);
  // Checked before the slow hash, so a wrong ticket costs no derivation; checked again in the write.
  await holds(deps.store);
  const hash = await hashPassword(given.password);
  await deps.store.transaction(selfServiceActor, async (tx) => {
    const user = await holds(tx);
    const body = { ...user.body, password: hash, state: user.body.state === 'pending' ? 'active' : user.body.state };
    await tx.put({ kind: 'user', id: user.id, parent: user.parent, body }, { ifMatch: user.etag });
  });
  deps.limits.perAccount.succeeded(account, '');
  return { status: 204, headers: { 'cache-control': 'no-store' } };
}
