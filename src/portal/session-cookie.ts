/**
 * The session cookies of the admin console and the developer portal (issue 18 §4): `HttpOnly`, `SameSite=Strict`, `Path=/`,
 * and over HTTPS `Secure` with the `__Host-` prefix (which the browser honours only for a
 * secure, host-only cookie on `/`, so no sibling host or path can plant or shadow it).
 */
import type { IncomingMessage } from 'node:http';

/** A session cookie's name over HTTPS and over plain HTTP. */
export interface SessionCookieNames {
  https: string;
  http: string;
}

/** The admin console's cookie. */
export const sessionCookieNames: SessionCookieNames = { https: '__Host-gatehouse-admin', http: 'gatehouse-admin' };

/** The developer portal's cookie. */
export const portalCookieNames: SessionCookieNames = { https: '__Host-gatehouse-portal', http: 'gatehouse-portal' };

/** Whether the request came over TLS. */
export function isHttps(req: IncomingMessage): boolean {
  return (req.socket as { encrypted?: boolean }).encrypted === true;
}

/** The Set-Cookie value that stores `value` for `maxAgeSeconds` (0 clears it). */
export function sessionCookie(req: IncomingMessage, value: string, maxAgeSeconds: number, names: SessionCookieNames = sessionCookieNames): string {
  const https = isHttps(req);
  const name = https ? names.https : names.http;
  const parts = [`${name}=${value}`, 'Path=/', 'HttpOnly', 'SameSite=Strict', `Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}`];
  if (https) parts.push('Secure');
  return parts.join('; ');
}

/** The value of the first cookie called `name` in a Cookie header, or undefined. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  for (const pair of header.split(';')) {
    const eq = pair.indexOf('=');
    if (eq === -1) continue;
    if (pair.slice(0, eq).trim() === name) return pair.slice(eq + 1).trim();
  }
  return undefined;
}

/** The session cookie's value on a request (the name that fits its scheme), if any. */
export function readSessionCookie(req: IncomingMessage, names: SessionCookieNames = sessionCookieNames): string | undefined {
  const value = cookieValue(req.headers.cookie, isHttps(req) ? names.https : names.http);
  // Session ids are base64url; anything else is not ours.
  return value !== undefined && /^[A-Za-z0-9_-]{1,128}$/.test(value) ? value : undefined;
}
