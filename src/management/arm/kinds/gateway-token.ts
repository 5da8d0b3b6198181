/**
 * Self-hosted gateway keys and access tokens (Azure's `gateways/{g}/listKeys`, `regenerateKey`
 * and `generateToken`). A gateway has two random keys, sealed at rest like subscription keys. A
 * token is Azure's shape, `{gatewayId}&{expiry yyyyMMddHHmm}&{signature}`, the signature being
 * base64 HMAC-SHA512, keyed with the gateway key, of `{gatewayId}\n{expiry in .NET round-trip
 * form}`: what the self-hosted gateway (issue 17) presents as `GatewayKey {token}`. The expiry
 * is cut to the minute before signing, so whoever checks a token can rebuild the signed text
 * from the token alone.
 */
import { createHmac, randomBytes } from 'node:crypto';

/** A new gateway key: 64 random bytes, base64 (Azure's keys are the same length). */
export function generateGatewayKey(): string {
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

/** The token for `gatewayId`, signed with `key`, valid until `expiry`. */
export function gatewayToken(gatewayId: string, key: string, requestedExpiry: Date): string {
  const expiry = new Date(Math.floor(requestedExpiry.getTime() / 60_000) * 60_000);
  const signature = createHmac('sha512', Buffer.from(key, 'utf8')).update(`${gatewayId}\n${roundTrip(expiry)}`, 'utf8').digest('base64');
  return `${gatewayId}&${compactMinute(expiry)}&${signature}`;
}

/** A token's parts, as `gatewayToken` writes them; undefined for a text of another shape. */
export interface GatewayTokenParts {
  gatewayId: string;
  /** The minute the token stops being valid (UTC). */
  expiry: Date;
}

/** Reads `{gatewayId}&{yyyyMMddHHmm}&{signature}` (the signature is checked by rebuilding the token, not here). */
export function parseGatewayToken(token: string): GatewayTokenParts | undefined {
  const m = /^([^&\s]{1,80})&(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})&([A-Za-z0-9+/]{20,200}={0,2})$/.exec(token);
  if (!m) return undefined;
  const [year, month, day, hour, minute] = m.slice(2, 7).map(Number) as [number, number, number, number, number];
  const expiry = new Date(Date.UTC(year, month - 1, day, hour, minute));
  // Date.UTC rolls 2030-13-40 over into a later date: only a minute written as it reads is a token's.
  if (compactMinute(expiry) !== m.slice(2, 7).join('')) return undefined;
  return { gatewayId: m[1]!, expiry };
}
