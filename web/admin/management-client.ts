/**
 * The console's client of the management API (DESIGN.md: the consoles are clients of it): ARM
 * paths of the same origin, signed in by the session cookie, with the session's CSRF token on
 * every request that changes something. Failures become ManagementError with ARM's code, message
 * and details, so pages can show exactly what the server said.
 */

import { jsonRequest, readAnswer, undefinedWhenMissing } from '../shared/arm-answer.js';

export { ManagementError, readAnswer, type ErrorDetail } from '../shared/arm-answer.js';

export const apiVersion = '2024-05-01';

/** What `GET /admin/session` answers for a signed-in console. */
export interface ConsoleSession {
  csrfToken: string;
  expiresAt: string;
  serviceName: string;
  /** The ARM path of the service, e.g. `/subscriptions/…/service/gatehouse`. */
  servicePath: string;
}

export interface ManagementClient {
  get<T>(path: string): Promise<T>;
  /** GET that answers undefined for 404. */
  find<T>(path: string): Promise<T | undefined>;
  put<T>(path: string, body: unknown, headers?: Record<string, string>): Promise<T>;
  patch<T>(path: string, body: unknown, headers?: Record<string, string>): Promise<T>;
  /** An ARM action (`listSecrets`, `regeneratePrimaryKey`, …); `body` undefined sends none. */
  post<T>(path: string, body?: unknown): Promise<T>;
  /** DELETE, unconditional (`If-Match: *`, which ARM requires). */
  delete(path: string): Promise<void>;
}

/** A client for the service the session names; `path` is relative to the service ('' is the service). */
export function managementClient(session: ConsoleSession, onSignedOut: () => void): ManagementClient {
  const call = async <T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> => {
    const url = `${session.servicePath}${path}${path.includes('?') ? '&' : '?'}api-version=${apiVersion}`;
    const response = await fetch(url, jsonRequest(method, body, session.csrfToken, headers));
    // The session ended (expired, or the server restarted): back to the sign-in page.
    if (response.status === 401) onSignedOut();
    return readAnswer<T>(response);
  };
  return {
    get: (path) => call('GET', path),
    find: (path) => undefinedWhenMissing(call('GET', path)),
    put: (path, body, headers) => call('PUT', path, body, headers),
    patch: (path, body, headers) => call('PATCH', path, body, headers),
    post: (path, body) => call('POST', path, body),
    delete: async (path) => {
      await call('DELETE', path, undefined, { 'if-match': '*' });
    },
  };
}

/** ARM's list answer. */
export interface ArmList<T> {
  value: T[];
  nextLink?: string;
}

/** Every item of an ARM list, following nextLink (same origin only). */
export async function listAll<T>(client: ManagementClient, path: string): Promise<T[]> {
  const first = await client.get<ArmList<T>>(path);
  const items = [...first.value];
  let next = first.nextLink;
  while (next) {
    const url = new URL(next, location.origin);
    if (url.origin !== location.origin) break;
    const response = await fetch(url.pathname + url.search, { credentials: 'same-origin', headers: { accept: 'application/json' } });
    const page = await readAnswer<ArmList<T>>(response);
    items.push(...page.value);
    next = page.nextLink;
  }
  return items;
}
