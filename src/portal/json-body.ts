/**
 * Reads a console request's body, bounded in size (readBoundedBody), and its JSON object body. It must be sent as `application/json`, which an
 * HTML form on another site cannot send, so the requests that have no session yet (signing in,
 * signing up) cannot be forged from another site either. Anything else is a JsonBodyError with
 * the HTTP status to answer and the reason.
 */
import type { IncomingMessage } from 'node:http';

/** A refused body; `status` is the HTTP status to answer. */
export class JsonBodyError extends Error {
  constructor(readonly status: 400 | 413 | 415, message: string) {
    super(message);
    this.name = 'JsonBodyError';
  }
}

/** Whether the request says its body is JSON. */
export function isJsonRequest(req: IncomingMessage): boolean {
  return (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase() === 'application/json';
}

/** The JSON object a request carries, at most `maxBytes` long; `what` names it in errors ("The sign-in body"). */
export async function readJsonObject(req: IncomingMessage, maxBytes: number, what: string): Promise<Record<string, unknown>> {
  if (!isJsonRequest(req)) throw new JsonBodyError(415, `${what} must be JSON ('Content-Type: application/json').`);
  const body = await readBoundedBody(req, maxBytes);
  if (body === undefined) throw new JsonBodyError(413, `${what} is larger than ${maxBytes} bytes.`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw new JsonBodyError(400, `${what} is not valid JSON.`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new JsonBodyError(400, `${what} must be a JSON object.`);
  return parsed as Record<string, unknown>;
}

/** Reads a request body of at most `maxBytes`; undefined when larger. */
export async function readBoundedBody(req: IncomingMessage, maxBytes: number): Promise<Buffer | undefined> {
  if (Number(req.headers['content-length'] ?? 0) > maxBytes) return undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
