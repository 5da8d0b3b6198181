/**
 * The admin console's sign-in sessions (issue 18 §3–4), kept in memory: a session is opened by
 * pasting the admin token, and ends at sign-out, after a quiet spell (idle expiry) or at a fixed
 * time after sign-in (absolute expiry), whichever comes first. Each session carries its own CSRF
 * token, which the console sends back in a header on every request that changes something.
 * A restart signs everyone out, which suits a single admin token.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** How long sessions live: `idleMs` since the last request, `absoluteMs` since sign-in. */
export interface SessionLifetimes {
  idleMs: number;
  absoluteMs: number;
}

/** Thirty quiet minutes, eight hours in all (OWASP's guidance for an administrative session). */
export const defaultSessionLifetimes: SessionLifetimes = { idleMs: 30 * 60_000, absoluteMs: 8 * 60 * 60_000 };

/** What the console learns about its session; `data` is what the opener keeps with it (the developer portal: the user and their token). */
export interface AdminSession<T = undefined> {
  /** The cookie value; never logged. */
  id: string;
  /** The value the X-CSRF-Token header must carry on requests that change something. */
  csrfToken: string;
  createdAt: number;
  lastUsedAt: number;
  /** When the session ends if it stays in use (the absolute expiry). */
  expiresAt: number;
  data: T;
}

export interface AdminSessions<T = undefined> {
  /** Opens a session (the caller has checked the credentials). */
  open(data: T): AdminSession<T>;
  /** The live session with this id, its idle clock restarted; undefined when unknown or expired. */
  touch(id: string): AdminSession<T> | undefined;
  /** Whether `given` is the session's CSRF token (constant time). */
  csrfMatches(session: AdminSession<T>, given: string | undefined): boolean;
  /** Ends a session (sign-out); unknown ids are ignored. */
  close(id: string): void;
  /** How many sessions are live (expired ones are dropped first). */
  count(): number;
}

/** Creates the in-memory session table. */
export function createAdminSessions<T = undefined>(lifetimes: SessionLifetimes = defaultSessionLifetimes, now: () => number = Date.now): AdminSessions<T> {
  const sessions = new Map<string, AdminSession<T>>();
  const expired = (s: AdminSession<T>, t: number): boolean => t - s.lastUsedAt >= lifetimes.idleMs || t >= s.expiresAt;
  const sweep = (): void => {
    const t = now();
    for (const [id, s] of sessions) if (expired(s, t)) sessions.delete(id);
  };
  return {
    open(data) {
      // Sign-ins are rate limited, so sweeping here keeps the table bounded by live sessions.
      sweep();
      const t = now();
      const session: AdminSession<T> = {
        id: randomBytes(32).toString('base64url'),
        csrfToken: randomBytes(32).toString('base64url'),
        createdAt: t,
        lastUsedAt: t,
        expiresAt: t + lifetimes.absoluteMs,
        data,
      };
      sessions.set(session.id, session);
      return session;
    },
    touch(id) {
      const session = sessions.get(id);
      if (!session) return undefined;
      const t = now();
      if (expired(session, t)) {
        sessions.delete(id);
        return undefined;
      }
      session.lastUsedAt = t;
      return session;
    },
    csrfMatches(session, given) {
      if (given === undefined || given === '') return false;
      return timingSafeEqual(digest(given), digest(session.csrfToken));
    },
    close(id) {
      sessions.delete(id);
    },
    count() {
      sweep();
      return sessions.size;
    },
  };
}

/** SHA-256 of a secret, so constant-time comparison does not leak its length either. */
export function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
