/**
 * APIM's string helpers: `AsJwt()`/`TryParseJwt()` (decode without validating, reference §4.2
 * Jwt) and `AsBasic()`/`TryParseBasic()` (Basic credentials).
 */
import { DateTimeValue, epochTicks, ticksPerSecond } from './datetime.js';
import { DictionaryValue } from './values.js';

/** The runtime value of Jwt. */
export class JwtValue {
  readonly typeName = 'Microsoft.Azure.ApiManagement.Jwt';
  constructor(
    readonly header: Record<string, unknown>,
    readonly payload: Record<string, unknown>,
  ) {}
}

/** The runtime value of BasicCredentials. */
export class BasicCredentialsValue {
  readonly typeName = 'Microsoft.Azure.ApiManagement.BasicAuthCredentials';
  constructor(
    readonly userId: string,
    readonly password: string,
  ) {}
}

function b64urlJson(part: string): Record<string, unknown> | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(part)) return undefined;
  try {
    const v: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Decodes a JWT (an optional `Bearer ` prefix is accepted); null when it is not one. */
export function parseJwt(text: string | null): JwtValue | null {
  if (text === null) return null;
  let t = text.trim();
  if (/^bearer\s+/i.test(t)) t = t.replace(/^bearer\s+/i, '');
  const parts = t.split('.');
  if (parts.length !== 3 && parts.length !== 5) return null;
  const header = b64urlJson(parts[0]!);
  const payload = b64urlJson(parts[1]!);
  if (!header || !payload) return null;
  return new JwtValue(header, payload);
}

/** Decodes `Basic base64(user:password)` (the scheme is optional); null when malformed. */
export function parseBasic(text: string | null): BasicCredentialsValue | null {
  if (text === null) return null;
  let t = text.trim();
  if (/^basic\s+/i.test(t)) t = t.replace(/^basic\s+/i, '');
  else if (/\s/.test(t)) return null;
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(t) || t.length === 0) return null;
  const decoded = Buffer.from(t, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon === -1) return null;
  return new BasicCredentialsValue(decoded.slice(0, colon), decoded.slice(colon + 1));
}

function claimValues(v: unknown): string[] {
  if (v === undefined || v === null) return [];
  if (Array.isArray(v)) return v.map((x) => (typeof x === 'string' ? x : JSON.stringify(x)));
  return [typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v)];
}

function dateClaim(v: unknown): DateTimeValue | null {
  if (typeof v !== 'number') return null;
  return new DateTimeValue(epochTicks + BigInt(Math.trunc(v)) * ticksPerSecond, 'Utc');
}

/** The Jwt members APIM exposes. */
export function jwtMember(jwt: JwtValue, name: string): unknown {
  const p = jwt.payload;
  switch (name) {
    case 'Algorithm': return typeof jwt.header.alg === 'string' ? jwt.header.alg : null;
    case 'Type': return typeof jwt.header.typ === 'string' ? jwt.header.typ : null;
    case 'Audiences': return claimValues(p.aud);
    case 'Issuer': return typeof p.iss === 'string' ? p.iss : null;
    case 'Subject': return typeof p.sub === 'string' ? p.sub : null;
    case 'Id': return typeof p.jti === 'string' ? p.jti : null;
    case 'ExpirationTime': return dateClaim(p.exp);
    case 'NotBefore': return dateClaim(p.nbf);
    case 'IssuedAt': return dateClaim(p.iat);
    case 'Claims': {
      const d = new DictionaryValue(false, true, ['string', 'string[]']);
      for (const [k, v] of Object.entries(p)) d.set(k, claimValues(v));
      return d;
    }
  }
  return undefined;
}

export const jwtMemberNames = ['Algorithm', 'Type', 'Audiences', 'Issuer', 'Subject', 'Id', 'ExpirationTime', 'NotBefore', 'IssuedAt', 'Claims'];
