/**
 * The portal's client of the management API, through the portal server's relay
 * (`/portal-api/management/<path below the service>`): the server adds the signed-in user's
 * token, or the anonymous visitor's, so the browser never holds one. Requests that change
 * something carry the session's CSRF token.
 */
import { jsonRequest, readAnswer, undefinedWhenMissing } from '../shared/arm-answer.js';
import type { PortalSession } from './portal-session.js';

export const apiVersion = '2024-05-01';

export interface PortalClient {
  get<T>(path: string): Promise<T>;
  /** GET that answers undefined for 404. */
  find<T>(path: string): Promise<T | undefined>;
  put<T>(path: string, body: unknown): Promise<T>;
  patch<T>(path: string, body: unknown, headers?: Record<string, string>): Promise<T>;
  post<T>(path: string, body?: unknown): Promise<T>;
}

/** ARM's list answer. */
export interface ArmList<T> {
  value: T[];
  nextLink?: string;
}

/** A client for the visitor's session (undefined: anonymous); `onSignedOut` runs when the server ended the session. */
export function portalClient(session: PortalSession | undefined, onSignedOut: () => void): PortalClient {
  const call = async <T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> => {
    const relative = path.replace(/^\//, '');
    const url = `/portal-api/management/${relative}${relative.includes('?') ? '&' : '?'}api-version=${apiVersion}`;
    const response = await fetch(url, jsonRequest(method, body, session?.csrfToken, headers));
    if (response.status === 401 && session) onSignedOut();
    return readAnswer<T>(response);
  };
  return {
    get: (path) => call('GET', path),
    find: (path) => undefinedWhenMissing(call('GET', path)),
    put: (path, body) => call('PUT', path, body),
    patch: (path, body, headers) => call('PATCH', path, body, headers),
    post: (path, body) => call('POST', path, body ?? {}),
  };
}

/** Every item of a list (the relay answers whole lists for what a portal shows; pages follow nextLink through the relay). */
export async function listAll<T>(client: PortalClient, path: string): Promise<T[]> {
  const first = await client.get<ArmList<T>>(path);
  const items = [...first.value];
  let next = first.nextLink;
  while (next) {
    // nextLink names the management API; the same path below the service goes through the relay.
    const at = next.search(/\/service\/[^/]+\//);
    if (at === -1) break;
    const rest = next.slice(at).replace(/^\/service\/[^/]+\//, '').replace(/([?&])api-version=[^&]*&?/, '$1').replace(/[?&]$/, '');
    const page = await client.get<ArmList<T>>(rest);
    items.push(...page.value);
    next = page.nextLink;
  }
  return items;
}
