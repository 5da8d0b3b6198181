/**
 * The self-service requests that need no session (sign-up, confirmation, password reset): the
 * portal server sends them on to the management API's `…/identity/<action>` and answers what it
 * said (a confirmation that succeeds answers the new session).
 */
import { readAnswer } from '../shared/arm-answer.js';

export type IdentityAction = 'signup' | 'confirm' | 'passwordReset' | 'passwordReset/confirm';

/** Posts `body` to `/portal-api/identity/<action>`; a refusal throws ManagementError as the server gave it. */
export async function postIdentity<T>(action: IdentityAction, body: Record<string, string>): Promise<T> {
  const response = await fetch(`/portal-api/identity/${action}`, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { accept: 'application/json', 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return readAnswer<T>(response);
}

/** The `userId` and `ticket` of a mailed link's query, when both are there. */
export function mailedTicket(search: string): { userId: string; ticket: string } | undefined {
  const query = new URLSearchParams(search);
  const userId = query.get('userId');
  const ticket = query.get('ticket');
  return userId && ticket ? { userId, ticket } : undefined;
}
