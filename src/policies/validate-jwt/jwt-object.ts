/**
 * The `Jwt` object validate-jwt stores in `output-token-variable-name` (reference §4.2): the
 * decoded token with Azure's member names, claims as string lists.
 */
import type { JWTPayload, ProtectedHeaderParameters } from 'jose';

export interface JwtObject {
  Algorithm: string;
  Audiences: string[];
  Claims: Record<string, string[]>;
  ExpirationTime: Date | null;
  Id: string | null;
  Issuer: string | null;
  IssuedAt: Date | null;
  NotBefore: Date | null;
  Subject: string | null;
  Type: string | null;
}

/** Builds the `Jwt` object of a validated token. */
export function toJwtObject(header: ProtectedHeaderParameters, payload: JWTPayload): JwtObject {
  const claims: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(payload)) claims[name] = claimValues(value);
  const date = (seconds: unknown): Date | null => (typeof seconds === 'number' ? new Date(seconds * 1000) : null);
  const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);
  return {
    Algorithm: header.alg ?? 'none',
    Audiences: claimValues(payload.aud),
    Claims: claims,
    ExpirationTime: date(payload.exp),
    Id: text(payload.jti),
    Issuer: text(payload.iss),
    IssuedAt: date(payload.iat),
    NotBefore: date(payload.nbf),
    Subject: text(payload.sub),
    Type: text(header.typ),
  };
}

/** A claim's values as strings: arrays element by element, objects as JSON. */
export function claimValues(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value.flatMap((v) => claimValues(v));
  if (typeof value === 'object') return [JSON.stringify(value)];
  return [String(value)];
}
