/**
 * Reads the admin console's sign-in request: a small JSON object `{ "token": "…" }` sent as
 * `application/json` (json-body.ts). Anything else is a JsonBodyError with the reason.
 */
import type { IncomingMessage } from 'node:http';
import { JsonBodyError, readJsonObject } from './json-body.js';

/** The largest sign-in body read: a token is 64 characters; leave room, refuse floods. */
const maxBytes = 4096;

/** The token a sign-in request carries; throws JsonBodyError. */
export async function readSignInToken(req: IncomingMessage): Promise<string> {
  const { token } = await readJsonObject(req, maxBytes, 'The sign-in body');
  if (typeof token !== 'string' || token.trim() === '') throw new JsonBodyError(400, "The sign-in body needs a non-empty string 'token'.");
  return token.trim();
}
