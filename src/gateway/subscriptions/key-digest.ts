/**
 * How subscription keys are held in memory: only their SHA-256 digests, bucketed by a digest
 * prefix, and compared in constant time (DESIGN.md "Secrets … compared in constant time").
 */
import { hash, timingSafeEqual } from 'node:crypto';

/** The 32-byte SHA-256 digest of a key. */
export function keyDigest(key: string): Buffer {
  // The one-shot form: no Hash object per request (the key is hashed on every call).
  return hash('sha256', key, 'buffer');
}

/** The SHA-256 digest of a key as 64 hex digits (a heap string, no native buffer). */
export function keyDigestHex(key: string): string {
  return hash('sha256', key, 'hex');
}

/**
 * The bucket a digest falls in: its first 30 bits, a number V8 holds without allocating.
 * Looking a bucket up leaks at most timing about a hash prefix, which tells an attacker nothing
 * about any key.
 */
export function digestBucket(digest: Buffer): number {
  return digest.readUInt32BE(0) >>> 2;
}

/** Constant-time equality of two SHA-256 digests. */
export function digestsEqual(a: Buffer, b: Buffer): boolean {
  // Both are always 32 bytes; the guard keeps timingSafeEqual from throwing on misuse.
  return a.length === b.length && timingSafeEqual(a, b);
}
