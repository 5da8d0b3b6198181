/**
 * Checks a compact JWS against candidate keys with jose, trying each until one verifies (Azure:
 * "each key is tried until either all are exhausted … or one succeeds", useful for rollover).
 */
import type { KeyObject } from 'node:crypto';
import { compactVerify } from 'jose';

/** The signature algorithms validate-jwt accepts; `none` is handled by require-signed-tokens. */
export const supportedAlgorithms = [
  'HS256', 'HS384', 'HS512', 'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512',
];

/** True when one of the keys verifies the token's signature. */
export async function verifiesWithAny(token: string, keys: readonly KeyObject[]): Promise<boolean> {
  for (const key of keys) {
    try {
      await compactVerify(token, key, { algorithms: supportedAlgorithms });
      return true;
    } catch {
      // Wrong key or key type for the algorithm: try the next one.
    }
  }
  return false;
}
