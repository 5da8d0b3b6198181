/**
 * Reading the management API's answers in the browser, for the admin console and the developer
 * portal alike: a failure becomes ManagementError with ARM's code, message and details, so pages
 * can show exactly what the server said.
 */

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

/** The value, or undefined when the server answered 404 (a GET of something that may be missing). */
export async function undefinedWhenMissing<T>(answer: Promise<T>): Promise<T | undefined> {
  try {
    return await answer;
  } catch (err) {
    if (err instanceof ManagementError && err.status === 404) return undefined;
    throw err;
  }
}

/** A same-origin JSON request: the body as JSON, the session's CSRF token on anything but GET. */
export function jsonRequest(method: string, body: unknown, csrfToken: string | undefined, headers: Record<string, string> = {}): RequestInit {
  return {
    method,
    credentials: 'same-origin',
    headers: {
      accept: 'application/json',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(method === 'GET' || csrfToken === undefined ? {} : { 'x-csrf-token': csrfToken }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  };
}
