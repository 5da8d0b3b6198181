/**
 * Bearer-token authentication of management requests (issue 3 §4). The token is compared in
 * constant time (DESIGN.md "Secrets") over SHA-256 digests, so its length leaks nothing either.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { ArmError } from './arm-error.js';

/** Checks an Authorization header against the admin token; throws ArmError 401. */
export function checkBearerToken(header: string | undefined, adminToken: string): void {
  if (header === undefined || header.trim() === '') {
    // ARM's answer to a request without credentials.
    throw new ArmError(401, 'AuthenticationFailed', "Authentication failed. The 'Authorization' header is missing.");
  }
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!m) {
    throw new ArmError(401, 'AuthenticationFailed', "Authentication failed. The 'Authorization' header is provided in an invalid format.");
  }
  if (!timingSafeEqual(digest(m[1]!), digest(adminToken))) {
    throw new ArmError(401, 'InvalidAuthenticationToken', 'The access token is invalid.');
  }
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
