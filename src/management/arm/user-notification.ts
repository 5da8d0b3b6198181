/**
 * The mail an administrator's `PUT …/users/{u}?notify=true` sends (Azure's `notify` and
 * `confirmation`, docs/sign-up.md): `confirmation: invite` mails an invitation whose link lets
 * the user choose a password (`…/identity/passwordReset/confirm` takes its ticket);
 * `confirmation: signup` (the default) mails a pending user the sign-up confirmation link. An
 * active user created with `signup` gets no mail (Azure would send a welcome mail).
 */
import { confirmationMail, invitationMail } from './account-mails.js';
import { bindingOf, issueTicket } from './account-tickets.js';
import { invalidField } from './arm-error.js';
import type { ArmRequest, ArmResponse } from './resource-operations.js';
import { deliver, readTicketKey, userName, type SelfServiceDeps } from './self-service-context.js';

/** Whether `request` is a user PUT that asks for a notification (`?notify=true`). */
export function asksForUserNotification(request: Pick<ArmRequest, 'method' | 'segments' | 'url'>): boolean {
  return request.method === 'PUT' && request.segments.length === 2 && request.segments[0]!.toLowerCase() === 'users' && request.url.searchParams.get('notify')?.toLowerCase() === 'true';
}

/** Refuses `?notify=true` where no mail can be sent (before anything is written). */
export function checkNotificationPossible(deps: SelfServiceDeps | undefined): void {
  if (!deps) throw invalidField('notify', 'notify=true needs a mail sender, and this management API has none.');
}

/** Sends the mail a successful notifying user PUT asks for. */
export async function notifyUser(request: ArmRequest, response: ArmResponse, deps: SelfServiceDeps): Promise<void> {
  if (response.status !== 200 && response.status !== 201) return;
  const properties = request.body?.properties as Record<string, unknown> | undefined;
  const confirmation = String(properties?.confirmation ?? 'signup').toLowerCase();
  const user = await deps.store.get(`users/${request.segments[1]!}`);
  if (!user || user.kind !== 'user') return;
  const key = await readTicketKey(deps.store, deps.sealer);
  const to = String(user.body.email);
  if (confirmation === 'invite') {
    const ticket = issueTicket(key, 'accept-invitation', userName(user), bindingOf(user.body), deps.now());
    deliver(deps, invitationMail(deps.site, to, userName(user), ticket));
  } else if (user.body.state === 'pending') {
    const ticket = issueTicket(key, 'confirm-signup', userName(user), bindingOf(user.body), deps.now());
    deliver(deps, confirmationMail(deps.site, to, userName(user), ticket));
  }
}
