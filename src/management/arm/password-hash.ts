/**
 * User passwords at rest: hashed with scrypt (memory-hard, Node's built-in), never sealed, so
 * nothing that reads the store (or an export) can recover them; Azure cannot export them either.
 * A hash describes itself, `scrypt$N$r$p$salt$hash` (salt and hash base64), so the cost can be
 * raised later and old hashes still verify. Verification compares in constant time.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { invalidField } from './arm-error.js';

/** The cost of a new hash: N=2^15, r=8, p=1 (32 MiB, tens of milliseconds). */
const cost = { N: 2 ** 15, r: 8, p: 1 };
const saltBytes = 16;
const hashBytes = 32;
/** Bounds on a stored hash's parameters, so a tampered store cannot make one verification cost gigabytes. */
const maxN = 2 ** 20;
const maxRp = 64;

/** The longest password accepted, in UTF-8 bytes: bounds the work a hostile request can cause. */
export const maxPasswordBytes = 256;

/** Refuses a password longer than maxPasswordBytes (400 naming `field`). */
export function checkPasswordLength(password: string, field = 'password'): void {
  if (Buffer.byteLength(password, 'utf8') > maxPasswordBytes) {
    throw invalidField(field, `The password is longer than ${maxPasswordBytes} bytes.`);
  }
}

function derive(password: string, salt: Buffer, N: number, r: number, p: number, length: number): Promise<Buffer> {
  // Node refuses more than 32 MiB by default; the bound is what the parameters need, and no more.
  const options: ScryptOptions = { N, r, p, maxmem: 128 * N * r * p + 1024 * 1024 };
  return new Promise((resolve, reject) => scrypt(password, salt, length, options, (err, key) => (err ? reject(err) : resolve(key))));
}

/** Whether a stored value is a password hash (rather than an older store's sealed password). */
export function isPasswordHash(stored: unknown): stored is string {
  return typeof stored === 'string' && stored.startsWith('scrypt$');
}

/** Hashes a password with a fresh salt, in the self-describing form (callers check its length first). */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(saltBytes);
  const hash = await derive(password, salt, cost.N, cost.r, cost.p, hashBytes);
  return `scrypt$${cost.N}$${cost.r}$${cost.p}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

interface ParsedHash {
  N: number;
  r: number;
  p: number;
  salt: Buffer;
  hash: Buffer;
}

function parseHash(stored: string): ParsedHash | undefined {
  const m = /^scrypt\$(\d{1,8})\$(\d{1,3})\$(\d{1,3})\$([A-Za-z0-9+/]+={0,2})\$([A-Za-z0-9+/]+={0,2})$/.exec(stored);
  if (!m) return undefined;
  const [N, r, p] = [Number(m[1]), Number(m[2]), Number(m[3])];
  // N must be a power of two above 1 (scrypt's rule).
  if (N < 2 || N > maxN || (N & (N - 1)) !== 0 || r < 1 || r > maxRp || p < 1 || p > maxRp) return undefined;
  const salt = Buffer.from(m[4]!, 'base64');
  const hash = Buffer.from(m[5]!, 'base64');
  if (salt.length < 8 || hash.length < 16 || hash.length > 128) return undefined;
  return { N, r, p, salt, hash };
}

/** A hash of no one's password: checked when there is no user, so a sign-in costs the same whether the e-mail exists or not. */
let decoy: Promise<string> | undefined;

/**
 * Whether `password` matches `stored`. A missing or unreadable `stored` still costs one full
 * derivation (against a decoy hash) and answers false, so timing does not tell them apart.
 */
export async function verifyPassword(password: string, stored: string | undefined): Promise<boolean> {
  const parsed = stored === undefined ? undefined : parseHash(stored);
  if (!parsed) {
    decoy ??= hashPassword(randomBytes(18).toString('base64'));
    const fallback = parseHash(await decoy)!;
    await derive(password, fallback.salt, fallback.N, fallback.r, fallback.p, fallback.hash.length);
    return false;
  }
  const derived = await derive(password, parsed.salt, parsed.N, parsed.r, parsed.p, parsed.hash.length);
  return timingSafeEqual(derived, parsed.hash);
}
