/**
 * Debug credentials for request tracing (Azure's `gateways/{g}/listDebugCredentials`): a token
 * in Azure's shape, `p=tracing&aid={api}&…&ex={yyyyMMddHHmmss}&sn={signature}`, that also names
 * the gateway (`gw`) and when it was issued (`is`, epoch milliseconds), signed with HMAC-SHA256
 * keyed by the service's own debug key (kept sealed in the store). Whoever holds the key can
 * check a token from the token alone; without it a token cannot be made or altered, and one
 * issued for an API or gateway names it under the signature.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** What a debug token grants. */
export interface DebugTokenClaims {
  /** The API's name (its resource name, `apis/{name}`). */
  apiName: string;
  gatewayId: string;
  /** Epoch milliseconds. */
  issuedAt: number;
  /** Epoch milliseconds, cut to the second. */
  expiresAt: number;
}

/** A new debug key: 32 random bytes, base64. */
export function generateDebugKey(): string {
  return randomBytes(32).toString('base64');
}

const two = (n: number): string => String(n).padStart(2, '0');

/** `yyyyMMddHHmmss` in UTC: the `ex` field, as in Azure's example token. */
function compactSecond(ms: number): string {
  const at = new Date(ms);
  return `${at.getUTCFullYear()}${two(at.getUTCMonth() + 1)}${two(at.getUTCDate())}${two(at.getUTCHours())}${two(at.getUTCMinutes())}${two(at.getUTCSeconds())}`;
}

function parseCompactSecond(text: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(text);
  if (!m) return undefined;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
  return Number.isNaN(ms) ? undefined : ms;
}

function signature(text: string, key: string): Buffer {
  return createHmac('sha256', Buffer.from(key, 'base64')).update(text, 'utf8').digest();
}

/** The token for `claims`, signed with `key` (a generateDebugKey value). */
export function signDebugToken(claims: DebugTokenClaims, key: string): string {
  const signed = `p=tracing&aid=${encodeURIComponent(claims.apiName)}&gw=${encodeURIComponent(claims.gatewayId)}&is=${Math.floor(claims.issuedAt)}&ex=${compactSecond(claims.expiresAt)}`;
  return `${signed}&sn=${signature(signed, key).toString('base64')}`;
}

/** Longest token read: a header value is bounded by the listener anyway; this keeps the work small. */
const maxTokenLength = 2048;

/** The claims of a token whose signature `key` made, or undefined for anything else (malformed, forged, altered). */
export function readDebugToken(token: string, key: string): DebugTokenClaims | undefined {
  if (token.length > maxTokenLength) return undefined;
  const at = token.lastIndexOf('&sn=');
  if (at < 0) return undefined;
  const signed = token.slice(0, at);
  const given = Buffer.from(token.slice(at + 4), 'base64');
  const expected = signature(signed, key);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  const fields = new Map<string, string>();
  for (const part of signed.split('&')) {
    const eq = part.indexOf('=');
    if (eq < 0) return undefined;
    fields.set(part.slice(0, eq), part.slice(eq + 1));
  }
  const issuedAt = Number(fields.get('is'));
  const expiresAt = parseCompactSecond(fields.get('ex') ?? '');
  const apiName = fields.get('aid');
  const gatewayId = fields.get('gw');
  if (fields.get('p') !== 'tracing' || !apiName || !gatewayId || !Number.isSafeInteger(issuedAt) || expiresAt === undefined) return undefined;
  try {
    return { apiName: decodeURIComponent(apiName), gatewayId: decodeURIComponent(gatewayId), issuedAt, expiresAt };
  } catch {
    return undefined;
  }
}
