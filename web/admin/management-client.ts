/**
 * The console's client of the management API (DESIGN.md: the consoles are clients of it): ARM
 * paths of the same origin, signed in by the session cookie, with the session's CSRF token on
 * every request that changes something. Failures become ManagementError with ARM's code, message
 * and details, so pages can show exactly what the server said.
 */

export const apiVersion = '2024-05-01';

/** What `GET /admin/session` answers for a signed-in console. */
export interface ConsoleSession {
  csrfToken: string;
  expiresAt: string;
  serviceName: string;
  /** The ARM path of the service, e.g. `/subscriptions/…/service/gatehouse`. */
  servicePath: string;
}

export interface ErrorDetail {
  code?: string;
  target?: string;
  message: string;
}

/** A refusal from the management API or the console, in ARM's error shape. */
export class ManagementError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
    this.name = 'ManagementError';
  }
}

/** Reads an answer's JSON body; a failure becomes ManagementError. */
export async function readAnswer<T>(response: Response): Promise<T> {
  const text = await response.text();
  let body: unknown;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (response.ok) return body as T;
  const error = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | undefined)?.error;
  const details = Array.isArray(error?.details)
    ? error.details.filter((d): d is ErrorDetail => typeof d === 'object' && d !== null && typeof (d as ErrorDetail).message === 'string')
    : [];
  const message = typeof error?.message === 'string' ? error.message : `The server answered ${response.status} ${response.statusText}.`;
  throw new ManagementError(response.status, typeof error?.code === 'string' ? error.code : `Http${response.status}`, message, details);
}

export interface ManagementClient {
  get<T>(path: string): Promise<T>;
  /** GET that answers undefined for 404. */
  find<T>(path: string): Promise<T | undefined>;
  put<T>(path: string, body: unknown, headers?: Record<string, string>): Promise<T>;
  patch<T>(path: string, body: unknown, headers?: Record<string, string>): Promise<T>;
  delete(path: string, headers?: Record<string, string>): Promise<unknown>;
}

/** A client for the service the session names; `path` is relative to the service ('' is the service). */
export function managementClient(session: ConsoleSession, onSignedOut: () => void): ManagementClient {
  const call = async <T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> => {
    const url = `${session.servicePath}${path}${path.includes('?') ? '&' : '?'}api-version=${apiVersion}`;
    const response = await fetch(url, {
      method,
      credentials: 'same-origin',
      headers: {
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(method === 'GET' ? {} : { 'x-csrf-token': session.csrfToken }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    // The session ended (expired, or the server restarted): back to the sign-in page.
    if (response.status === 401) onSignedOut();
    return readAnswer<T>(response);
  };
  return {
    get: (path) => call('GET', path),
    async find(path) {
      try {
        return await call('GET', path);
      } catch (err) {
        if (err instanceof ManagementError && err.status === 404) return undefined;
        throw err;
      }
    },
    put: (path, body, headers) => call('PUT', path, body, headers),
    patch: (path, body, headers) => call('PATCH', path, body, headers),
    delete: (path, headers) => call('DELETE', path, undefined, headers),
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
