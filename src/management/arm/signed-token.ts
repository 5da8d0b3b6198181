/**
 * The one token format Azure API Management signs with a shared key, used by self-hosted gateway
 * tokens (`gateways/{g}/generateToken`) and user tokens (`users/{u}/token`, signed with the
 * tenant access keys): `{id}&{expiry yyyyMMddHHmm}&{signature}`, the signature being base64
 * HMAC-SHA512, keyed with the key's UTF-8 bytes, of `{id}\n{expiry in .NET round-trip form}`.
 * The expiry is cut to the minute before signing, so whoever checks a token can rebuild the
 * signed text from the token alone.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** A new signing key: 64 random bytes, base64 (Azure's gateway and tenant keys are the same length). */
export function generateSigningKey(): string {
  return randomBytes(64).toString('base64');
}

const two = (n: number): string => String(n).padStart(2, '0');

/** `yyyyMMddHHmm` in UTC, the expiry field of a token. */
function compactMinute(at: Date): string {
  return `${at.getUTCFullYear()}${two(at.getUTCMonth() + 1)}${two(at.getUTCDate())}${two(at.getUTCHours())}${two(at.getUTCMinutes())}`;
}

/** .NET's round-trip ("O") form of a UTC time: seven fractional digits and `Z`. */
function roundTrip(at: Date): string {
  return `${at.toISOString().slice(0, 19)}.${String(at.getUTCMilliseconds()).padStart(3, '0')}0000Z`;
}

function signature(id: string, key: string, expiry: Date): Buffer {
  return createHmac('sha512', Buffer.from(key, 'utf8')).update(`${id}\n${roundTrip(expiry)}`, 'utf8').digest();
}

/** The latest expiry a token can carry: its field has four digits of year. */
export const latestTokenExpiry = new Date(Date.UTC(9999, 11, 31, 23, 59));

/** The token for `id`, signed with `key`, valid until `requestedExpiry` (cut to the minute). */
export function signToken(id: string, key: string, requestedExpiry: Date): string {
  const expiry = new Date(Math.floor(requestedExpiry.getTime() / 60_000) * 60_000);
  return `${id}&${compactMinute(expiry)}&${signature(id, key, expiry).toString('base64')}`;
}

/** What a token says, once its signature is checked. */
export type TokenCheck = { valid: true; id: string; expiry: Date; expired: boolean } | { valid: false };

// Bounded: an id is at most 256 characters (Azure's names are 80) and a signature a SHA-512 HMAC in base64.
const tokenShape = /^([^&\s]{1,256})&(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})&([A-Za-z0-9+/]{20,200}={0,2})$/;

/** A token's parts as `signToken` writes them, unverified; undefined for a text of another shape. */
export function readToken(token: string): { id: string; expiry: Date; signature: string } | undefined {
  const m = tokenShape.exec(token);
  if (!m) return undefined;
  const [, id, y, mo, d, h, mi, signature] = m;
  const expiry = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi)));
  // A field that does not round-trip (month 13, minute 75) was not made by signToken.
  if (Number.isNaN(expiry.getTime()) || compactMinute(expiry) !== `${y}${mo}${d}${h}${mi}`) return undefined;
  return { id: id!, expiry, signature: signature! };
}

/**
 * Checks `token` against each of `keys` (any may have signed it) in constant time per key; a
 * token signed with a key no longer listed (regenerated) is invalid. Expiry is reported, not
 * refused, so the caller can answer it in its own words.
 */
export function checkToken(token: string, keys: readonly string[], now: Date): TokenCheck {
  const parts = readToken(token);
  if (!parts) return { valid: false };
  const presented = Buffer.from(parts.signature, 'base64');
  let matched = false;
  for (const key of keys) {
    const expected = signature(parts.id, key, parts.expiry);
    if (presented.length === expected.length && timingSafeEqual(presented, expected)) matched = true;
  }
  if (!matched) return { valid: false };
  return { valid: true, id: parts.id, expiry: parts.expiry, expired: now.getTime() >= parts.expiry.getTime() };
}
