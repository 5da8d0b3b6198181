/**
 * Parses the JSON body of an LLM answer as the backend sent it: compressed bodies
 * (`Content-Encoding: gzip`, `deflate`, `br`) are inflated first, never past `limitBytes`.
 * Anything that is not JSON, or does not inflate within the limit, gives undefined.
 */
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';

/** The parsed answer, or undefined. */
export function parseJsonAnswer(bytes: Buffer, contentEncoding: string | undefined, limitBytes: number): unknown {
  try {
    const encoding = (contentEncoding ?? '').trim().toLowerCase();
    const options = { maxOutputLength: limitBytes };
    const plain =
      encoding === 'gzip' || encoding === 'x-gzip' ? gunzipSync(bytes, options)
      : encoding === 'deflate' ? inflateSync(bytes, options)
      : encoding === 'br' ? brotliDecompressSync(bytes, options)
      : encoding === '' || encoding === 'identity' ? bytes
      : undefined;
    return plain === undefined ? undefined : (JSON.parse(plain.toString('utf8')) as unknown);
  } catch {
    return undefined;
  }
}
