/**
 * Limits the admin console's sign-in attempts per client address (issue 18 §4): at most
 * `attempts` failed ones in any `windowMs` (a sliding window), then 429 with the seconds until the
 * oldest leaves the window. An attempt is counted when it starts (so parallel guesses cannot
 * slip in before the first one fails) and forgiven when it succeeds, so an admin who signs in
 * from several tabs is not held back; a success does not wipe the earlier failures. Once over
 * the limit every attempt is refused unread, the right token too.
 */

export interface SignInLimit {
  attempts: number;
  windowMs: number;
}

/** Five attempts a minute. */
export const defaultSignInLimit: SignInLimit = { attempts: 5, windowMs: 60_000 };

/** The largest number of addresses remembered; past it the quietest are dropped. */
const maxAddresses = 10_000;

export interface SignInLimiter {
  /** Records an attempt from `address`; returns the seconds to wait when it is over the limit. */
  attempt(address: string): { allowed: true } | { allowed: false; retryAfterSeconds: number };
  /** Forgives the last allowed attempt from `address`: it signed in. */
  succeeded(address: string): void;
}

/** Creates a limiter; `now` is injectable for tests. */
export function createSignInLimiter(limit: SignInLimit = defaultSignInLimit, now: () => number = Date.now): SignInLimiter {
  const seen = new Map<string, number[]>();
  return {
    attempt(address) {
      const t = now();
      const recent = (seen.get(address) ?? []).filter((at) => t - at < limit.windowMs);
      if (recent.length >= limit.attempts) {
        seen.set(address, recent);
        const waitMs = recent[0]! + limit.windowMs - t;
        return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
      }
      recent.push(t);
      // Re-inserting keeps the Map in order of last attempt, so the first key is the quietest.
      seen.delete(address);
      seen.set(address, recent);
      if (seen.size > maxAddresses) seen.delete(seen.keys().next().value!);
      return { allowed: true };
    },
    succeeded(address) {
      const recent = seen.get(address);
      recent?.pop();
      if (recent?.length === 0) seen.delete(address);
    },
  };
}
