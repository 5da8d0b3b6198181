/**
 * The developer portal's try-it console sends its calls through the portal server, as Azure's
 * portal does with its CORS proxy: the browser posts `{ method, path, headers, body }` and the
 * portal calls the gateway, always the gateway it was given (the path is resolved against it and
 * must stay on its origin), and answers `{ status, statusText, headers, body, truncated }`.
 * So an API needs no CORS policy to be tried, and the portal reaches nothing but the gateway.
 */

/** What the browser asks for. */
export interface TryItRequest {
  method: string;
  /** The path and query below the gateway, starting with `/`. */
  path: string;
  headers: Array<[string, string]>;
  body?: string;
}

/** What the browser is answered. */
export interface TryItAnswer {
  status: number;
  statusText: string;
  headers: Array<[string, string]>;
  body: string;
  /** Whether the body was longer than the console shows (cut at `maxAnswerBytes`). */
  truncated: boolean;
}

/** A refused try-it request (400), with the reason. */
export class TryItRequestError extends Error {}

const methods = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);
// Headers the call's transport owns, and the portal's own cookie: never taken from the browser.
const refusedHeaders = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive', 'upgrade', 'te', 'trailer', 'proxy-authorization', 'proxy-connection', 'cookie', 'expect']);
const tokenChars = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,256}$/;
const maxHeaders = 50;
/** The most of an answer the console shows. */
export const maxAnswerBytes = 1024 * 1024;

/** Checks and normalises what the browser sent; throws TryItRequestError. */
export function readTryItRequest(given: Record<string, unknown>): TryItRequest {
  const method = typeof given.method === 'string' ? given.method.toUpperCase() : '';
  if (!methods.has(method)) throw new TryItRequestError(`'method' must be one of ${[...methods].join(', ')}.`);
  const path = given.path;
  if (typeof path !== 'string' || !path.startsWith('/') || path.startsWith('//') || path.length > 8192 || /[\s\\]/.test(path)) {
    throw new TryItRequestError("'path' must be a path below the gateway starting with one '/', without spaces or backslashes.");
  }
  const rawHeaders = given.headers ?? [];
  if (!Array.isArray(rawHeaders) || rawHeaders.length > maxHeaders) throw new TryItRequestError(`'headers' must be a list of at most ${maxHeaders} [name, value] pairs.`);
  const headers: Array<[string, string]> = [];
  for (const pair of rawHeaders) {
    if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== 'string' || typeof pair[1] !== 'string') throw new TryItRequestError("Each header must be a [name, value] pair of strings.");
    const [name, value] = pair as [string, string];
    if (!tokenChars.test(name)) throw new TryItRequestError(`'${name.slice(0, 40)}' is not a valid header name.`);
    if (/[\r\n\0]/.test(value) || value.length > 8192) throw new TryItRequestError(`The value of '${name}' has a line break or is longer than 8192 characters.`);
    if (refusedHeaders.has(name.toLowerCase())) throw new TryItRequestError(`The header '${name}' is set by the portal, not by the console.`);
    headers.push([name, value]);
  }
  const body = given.body;
  if (body !== undefined && typeof body !== 'string') throw new TryItRequestError("'body' must be a string.");
  if (body !== undefined && body !== '' && (method === 'GET' || method === 'HEAD')) throw new TryItRequestError(`A ${method} request has no body.`);
  return { method, path, headers, body: body === '' ? undefined : body };
}

/** Makes the call on the gateway at `gatewayUrl`; network failures become a 502 answer saying so. */
export async function callGateway(gatewayUrl: string, call: TryItRequest): Promise<TryItAnswer> {
  const base = new URL(gatewayUrl);
  const target = new URL(call.path, base);
  // The path is relative and starts with one '/', so this holds; checked anyway: the portal calls nothing else.
  if (target.origin !== base.origin) throw new TryItRequestError("'path' must stay on the gateway.");
  let response: Response;
  try {
    response = await fetch(target, { method: call.method, headers: call.headers, body: call.body, redirect: 'manual', signal: AbortSignal.timeout(30_000) });
  } catch (err) {
    const reason = (err as Error).name === 'TimeoutError' ? 'the gateway did not answer within 30 s' : 'the gateway could not be reached';
    return { status: 502, statusText: 'Bad Gateway', headers: [], body: `The portal could not make the call: ${reason}.`, truncated: false };
  }
  const { text, truncated } = await readCapped(response, maxAnswerBytes);
  return { status: response.status, statusText: response.statusText, headers: [...response.headers.entries()], body: text, truncated };
}

async function readCapped(response: Response, max: number): Promise<{ text: string; truncated: boolean }> {
  if (!response.body) return { text: '', truncated: false };
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let truncated = false;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (size + value.length > max) {
      chunks.push(value.subarray(0, max - size));
      truncated = true;
      await reader.cancel();
      break;
    }
    chunks.push(value);
    size += value.length;
  }
  return { text: Buffer.concat(chunks).toString('utf8'), truncated };
}
