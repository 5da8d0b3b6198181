/**
 * Sign-in and sign-out against the portal's session endpoint (src/portal/developer-portal.ts).
 */
import { readAnswer } from '../shared/arm-answer.js';

/** A signed-in visitor, as `GET /portal-api/session` answers it. */
export interface PortalSession {
  signedIn: true;
  userId: string;
  csrfToken: string;
  expiresAt: string;
}

const sessionUrl = '/portal-api/session';

/** The current session, or undefined for an anonymous visitor. */
export async function currentSession(): Promise<PortalSession | undefined> {
  const answer = await readAnswer<PortalSession | { signedIn: false }>(await fetch(sessionUrl, { credentials: 'same-origin', headers: { accept: 'application/json' } }));
  return answer.signedIn ? answer : undefined;
}

/** Signs in with e-mail and password; throws ManagementError (401 wrong credentials, 429 too many tries). */
export async function signIn(email: string, password: string): Promise<PortalSession> {
  const response = await fetch(sessionUrl, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { accept: 'application/json', 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  return readAnswer<PortalSession>(response);
}

/** Ends the session. */
export async function signOut(session: PortalSession): Promise<void> {
  await readAnswer<unknown>(await fetch(sessionUrl, { method: 'DELETE', credentials: 'same-origin', headers: { accept: 'application/json', 'x-csrf-token': session.csrfToken } }));
}
