/**
 * Reads the admin console's sign-in request: a small JSON object `{ "token": "…" }` sent as
 * `application/json` (which a cross-site HTML form cannot send, so a sign-in cannot be forged
 * from another site either). Anything else is a SignInBodyError with the reason.
 */
import type { IncomingMessage } from 'node:http';

/** The largest sign-in body read: a token is 43 characters; leave room, refuse floods. */
const maxBytes = 4096;

/** A refused sign-in body; `status` is the HTTP status to answer. */
export class SignInBodyError extends Error {
  constructor(readonly status: 400 | 413 | 415, message: string) {
    super(message);
    this.name = 'SignInBodyError';
  }
}

/** The token a sign-in request carries; throws SignInBodyError. */
export async function readSignInToken(req: IncomingMessage): Promise<string> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') throw new SignInBodyError(415, "Sign in with a JSON body ('Content-Type: application/json').");
  if (Number(req.headers['content-length'] ?? 0) > maxBytes) throw new SignInBodyError(413, `The sign-in body is larger than ${maxBytes} bytes.`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw new SignInBodyError(413, `The sign-in body is larger than ${maxBytes} bytes.`);
    chunks.push(chunk);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new SignInBodyError(400, 'The sign-in body is not valid JSON.');
  }
  const token = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as { token?: unknown }).token : undefined;
  if (typeof token !== 'string' || token.trim() === '') throw new SignInBodyError(400, "The sign-in body needs a non-empty string 'token'.");
  return token.trim();
}
