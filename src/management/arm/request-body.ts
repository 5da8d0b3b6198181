/**
 * Reads a management request's JSON body with a size and a nesting limit (DESIGN.md "Validate
 * every input at the edge"). An empty body reads as undefined; anything not a JSON object is
 * refused, and so is a `__proto__` key anywhere in it (prototype-keys.ts).
 */
import type { IncomingMessage } from 'node:http';
import { ArmError, invalidField } from './arm-error.js';
import { findPrototypeKey, prototypeKeyMessage } from './prototype-keys.js';

/** The largest body accepted: large enough for an OpenAPI document sent by value. */
export const defaultBodyLimit = 4 * 1024 * 1024;

/** The deepest nesting of objects and arrays a body may have: Json.NET's default MaxDepth, as ARM reads bodies with it. */
export const maxBodyDepth = 64;

/** How deeply a JSON text nests objects and arrays, counted in one pass (brackets inside strings do not count). */
export function nestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: the next character is escaped
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > deepest) deepest = depth;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return deepest;
}

/** Reads and parses the body; throws ArmError 400 (malformed, or nested deeper than maxBodyDepth) or 413 (too large). */
export async function readJsonBody(request: IncomingMessage, limit = defaultBodyLimit): Promise<Record<string, unknown> | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    // Keep draining so the client sees our answer instead of a reset connection.
    if (size > limit) tooLarge = true;
    else chunks.push(chunk);
  }
  if (tooLarge) {
    throw new ArmError(413, 'RequestEntityTooLarge', `The request body is larger than the limit of ${limit} bytes.`);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return undefined;
  if (nestingDepth(text) > maxBodyDepth) {
    // Deeper values overflowed the stack later (JSON.stringify in the store), answering 500.
    throw new ArmError(400, 'InvalidRequestContent', `The request content was invalid and could not be deserialized: 'The reader's MaxDepth of ${maxBodyDepth} has been exceeded.'.`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new ArmError(400, 'InvalidRequestContent', `The request content was invalid and could not be deserialized: '${(err as Error).message}'.`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ArmError(400, 'InvalidRequestContent', 'The request content was invalid and could not be deserialized: a JSON object is expected.');
  }
  const prototypePath = findPrototypeKey(parsed);
  if (prototypePath !== undefined) throw invalidField(prototypePath, prototypeKeyMessage(prototypePath));
  return parsed as Record<string, unknown>;
}
