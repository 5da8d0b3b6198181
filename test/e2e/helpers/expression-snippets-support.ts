/**
 * Support for the expression snippet e2e table: reads documents of the policy snippet
 * corpus at test time, sends requests with node:http (so a row can choose its Host header), and
 * the .NET layouts the snippets' results are checked against (Guid bytes, DateTime ticks).
 */
import { createDecipheriv } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { join } from 'node:path';

/** The read-only corpus of Azure's public policy snippets. */
export const snippetCorpusFolder = new URL('../../fixtures/corpus/policy-snippets/', import.meta.url).pathname;

/** The text of one corpus document, as published (relative path inside the corpus). */
export function corpusDocument(relativePath: string): string {
  return readFileSync(join(snippetCorpusFolder, relativePath), 'utf8');
}

export interface SentRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string | Buffer;
  /** Send the body chunked (no Content-Length). */
  chunked?: boolean;
}

export interface Answer {
  status: number;
  statusText: string;
  headers: IncomingHttpHeaders;
  text: string;
}

/** One request with node:http; a `host` header in `headers` is sent as given. */
export function send(req: SentRequest): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { ...req.headers };
    if (req.body !== undefined && !req.chunked) headers['content-length'] = Buffer.byteLength(req.body);
    const r = httpRequest(req.url, { method: req.method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, statusText: res.statusMessage ?? '', headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', reject);
    });
    r.on('error', reject);
    if (req.body !== undefined) {
      if (req.chunked) {
        // Two writes so the request is really sent chunked.
        const b = Buffer.from(req.body);
        r.write(b.subarray(0, b.length >> 1));
        r.end(b.subarray(b.length >> 1));
      } else {
        r.end(req.body);
      }
    } else {
      r.end();
    }
  });
}

/** The 16 bytes .NET's `Guid.ToByteArray()` gives for a Guid's text (first three groups little-endian). */
export function dotnetGuidBytes(text: string): Buffer {
  const hex = text.replace(/-/g, '');
  const b = Buffer.from(hex, 'hex');
  if (b.length !== 16) throw new Error(`not a Guid: ${text}`);
  return Buffer.concat([Buffer.from(b.subarray(0, 4)).reverse(), Buffer.from(b.subarray(4, 6)).reverse(), Buffer.from(b.subarray(6, 8)).reverse(), b.subarray(8)]);
}

/** .NET `DateTime` ticks (100 ns since 0001-01-01) of a Unix time in milliseconds. */
export function dotnetTicks(unixMs: number): bigint {
  return BigInt(unixMs) * 10_000n + 621_355_968_000_000_000n;
}

/** AES-CBC with PKCS7 padding, as APIM's `byte[].Decrypt("Aes", key, iv)`; key size from the key. */
export function aesCbcDecrypt(cipherText: Buffer, key: Buffer, iv: Buffer): Buffer {
  const decipher = createDecipheriv(`aes-${key.length * 8}-cbc`, key, iv);
  return Buffer.concat([decipher.update(cipherText), decipher.final()]);
}
