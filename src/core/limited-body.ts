/**
 * Reads the body of a fetch() answer that another party wrote (a linked API definition, an OpenID
 * discovery document, a revocation list), refusing it once it passes a limit: a declared length
 * over the limit is refused before anything is read, and a body that grows past it stops being
 * read (leaving the loop cancels the rest).
 */

/** A body longer than the caller's limit. */
export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`The answer is larger than ${limit} bytes.`);
    this.name = 'BodyTooLargeError';
  }
}

/** The whole body, at most `maxBytes`; throws BodyTooLargeError past it. */
export async function readLimitedBody(response: Response, maxBytes: number): Promise<Buffer> {
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw new BodyTooLargeError(maxBytes);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body ?? []) {
    size += chunk.byteLength;
    if (size > maxBytes) throw new BodyTooLargeError(maxBytes);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
