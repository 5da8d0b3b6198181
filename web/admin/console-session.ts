/**
 * Sign-in and sign-out against the console's session endpoint (src/portal/admin-console.ts).
 */
import { readAnswer, type ConsoleSession } from './management-client.js';

const sessionUrl = '/admin/session';

/** The current session, or undefined when not signed in. */
export async function currentSession(): Promise<ConsoleSession | undefined> {
  const response = await fetch(sessionUrl, { credentials: 'same-origin', headers: { accept: 'application/json' } });
  if (response.status === 401) return undefined;
  return readAnswer<ConsoleSession>(response);
}

/** Signs in with the admin token; throws ManagementError (401 wrong token, 429 too many tries). */
export async function signIn(token: string): Promise<ConsoleSession> {
  const response = await fetch(sessionUrl, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { accept: 'application/json', 'content-type': 'application/json' },
    body: JSON.stringify({ token }),
  });
  return readAnswer<ConsoleSession>(response);
}

/** Ends the session. */
export async function signOut(session: ConsoleSession): Promise<void> {
  const response = await fetch(sessionUrl, { method: 'DELETE', credentials: 'same-origin', headers: { accept: 'application/json', 'x-csrf-token': session.csrfToken } });
  await readAnswer<unknown>(response);
}
