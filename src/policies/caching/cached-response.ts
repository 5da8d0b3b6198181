/**
 * A response as cache-store keeps it and cache-lookup answers it: status, reason, headers and
 * body, and when it expires (so a hit can tell the client how long it stays fresh). One encoding
 * for the built-in and the Redis cache: a 4-byte length, the JSON head, then the body bytes.
 */
import { HeaderMap } from '../../pipeline/header-map.js';
import { MessageBody } from '../../pipeline/message-body.js';
import type { GatewayResponse } from '../../pipeline/gateway-context.js';

export interface CachedResponse {
  statusCode: number;
  statusReason: string;
  /** Header lines in order: name, value, name, value … */
  headers: string[];
  body: Buffer;
  /** When the entry stops being served (ms since the epoch). */
  expiresAt: number;
}

/** Headers about one connection or one body framing: never kept (the writer frames the cached body itself). */
const notKept = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'trailer', 'upgrade', 'proxy-authenticate', 'proxy-connection']);

/** The entry for `response` with its buffered `body`. */
export function cachedResponseOf(response: GatewayResponse, body: Buffer, expiresAt: number): CachedResponse {
  const headers: string[] = [];
  const flat = response.headers.toFlatList();
  for (let i = 0; i < flat.length; i += 2) if (!notKept.has(flat[i]!.toLowerCase())) headers.push(flat[i]!, flat[i + 1]!);
  return { statusCode: response.statusCode, statusReason: response.statusReason, headers, body, expiresAt };
}

export function encodeCachedResponse(entry: CachedResponse): Buffer {
  const head = Buffer.from(JSON.stringify({ s: entry.statusCode, r: entry.statusReason, h: entry.headers, e: entry.expiresAt }));
  const length = Buffer.alloc(4);
  length.writeUInt32BE(head.length);
  return Buffer.concat([length, head, entry.body]);
}

/** The entry `bytes` hold, or undefined for bytes this encoding did not write. */
export function decodeCachedResponse(bytes: Buffer): CachedResponse | undefined {
  if (bytes.length < 4) return undefined;
  const headLength = bytes.readUInt32BE(0);
  if (4 + headLength > bytes.length) return undefined;
  let head: unknown;
  try {
    head = JSON.parse(bytes.subarray(4, 4 + headLength).toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof head !== 'object' || head === null) return undefined;
  const h = head as { s?: unknown; r?: unknown; h?: unknown; e?: unknown };
  const validHeaders = Array.isArray(h.h) && h.h.length % 2 === 0 && h.h.every((x) => typeof x === 'string');
  if (typeof h.s !== 'number' || typeof h.r !== 'string' || !validHeaders || typeof h.e !== 'number') return undefined;
  return { statusCode: h.s, statusReason: h.r, headers: h.h as string[], body: bytes.subarray(4 + headLength), expiresAt: h.e };
}

/** The response a hit answers with. */
export function responseFromCache(entry: CachedResponse): GatewayResponse {
  return {
    statusCode: entry.statusCode,
    statusReason: entry.statusReason,
    headers: HeaderMap.fromRaw(entry.headers),
    body: entry.body.length === 0 ? MessageBody.empty() : new MessageBody(Buffer.from(entry.body)),
  };
}
