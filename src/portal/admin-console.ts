/**
 * The admin console on the management listener (issue 18 §3–4), under `/admin`:
 *
 * | path | what |
 * |---|---|
 * | `GET /admin`, `GET /admin/` | the page (web/admin/, built to dist/web/admin/) |
 * | `GET /admin/assets/<file>` | its content-hashed script and style sheet |
 * | `GET /admin/session` | the signed-in session: CSRF token, service path, expiry (401 without one) |
 * | `POST /admin/session` | sign in with `{ "token": "<admin token>" }`; sets the session cookie |
 * | `DELETE /admin/session` | sign out (needs the CSRF header) |
 *
 * The console is a client of the management API (DESIGN.md): the page calls the ARM paths of
 * the same origin with the session cookie, which `sessionAccess` turns into the admin principal
 * for the management handler, or refuses when a request that changes something lacks the CSRF
 * token. Every answer here carries the console's security headers (console-headers.ts).
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../core/logger.js';
import { createAdminSessions, digest, type AdminSessions, type SessionLifetimes } from './admin-sessions.js';
import { loadConsoleAssets, type ConsoleAssets } from './console-assets.js';
import { answerInternalError, headerValue, problem, send, sendJson } from './console-answers.js';
import { consoleHeaders, newNonce } from './console-headers.js';
import { consoleBasePath, consolePage, notBuiltPage } from './console-page.js';
import { readSessionCookie, sessionCookie } from './session-cookie.js';
import { JsonBodyError } from './json-body.js';
import { readSignInToken } from './sign-in-body.js';
import { createSignInLimiter, type SignInLimit } from './sign-in-limiter.js';

/** The header that carries the session's CSRF token. */
export const csrfHeader = 'x-csrf-token';

/** How a management request stands with respect to a console session. */
export type SessionAccess = 'admin' | 'csrf-refused' | 'none';

export interface AdminConsoleOptions {
  /** The admin token the sign-in compares against. */
  adminToken: string;
  /** The service the management API hosts (the console's ARM paths name it). */
  serviceName: string;
  /** Where the built console is; the default is dist/web/admin/. */
  assetsDir?: string;
  lifetimes?: SessionLifetimes;
  signInLimit?: SignInLimit;
  now?: () => number;
  logger?: Logger;
}

export interface AdminConsole {
  /** Whether a request's path is the console's. */
  handles(req: IncomingMessage): boolean;
  serve(req: IncomingMessage, res: ServerResponse): void;
  /** Whether a management request is the signed-in admin's (and, when it changes something, carries the CSRF token). */
  sessionAccess(req: IncomingMessage): SessionAccess;
}

/** The ARM path of the hosted service as the console addresses it (subscription and group are taken as given). */
export function consoleServicePath(serviceName: string): string {
  return `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/gatehouse/providers/Microsoft.ApiManagement/service/${encodeURIComponent(serviceName)}`;
}

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Creates the console; a console that is not built answers every page with the reason. */
export function createAdminConsole(options: AdminConsoleOptions): AdminConsole {
  const now = options.now ?? Date.now;
  const sessions: AdminSessions = createAdminSessions(options.lifetimes, now);
  const limiter = createSignInLimiter(options.signInLimit, now);
  let assets: ConsoleAssets | Error;
  try {
    assets = loadConsoleAssets(options.assetsDir);
  } catch (err) {
    assets = err as Error;
    options.logger?.warn({ reason: assets.message }, 'admin console unavailable');
  }

  const sessionOf = (req: IncomingMessage) => {
    const id = readSessionCookie(req);
    return id === undefined ? undefined : sessions.touch(id);
  };

  const serve = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://console.invalid');
    const method = (req.method ?? 'GET').toUpperCase();
    const path = url.pathname;
    if (path === consoleBasePath || path === `${consoleBasePath}/`) {
      if (method !== 'GET' && method !== 'HEAD') return sendJson(req, res, 405, problem('MethodNotAllowed', 'The console page answers GET only.'), { allow: 'GET, HEAD' });
      const nonce = newNonce();
      if (assets instanceof Error) return send(req, res, 503, 'text/html; charset=utf-8', notBuiltPage(assets.message), consoleHeaders());
      return send(req, res, 200, 'text/html; charset=utf-8', consolePage(assets, nonce), { ...consoleHeaders(nonce), 'cache-control': 'no-store' });
    }
    if (path.startsWith(`${consoleBasePath}/assets/`)) {
      const name = path.slice(`${consoleBasePath}/assets/`.length);
      // Built names are plain ASCII, so the path is looked up as sent: nothing to decode.
      const file = assets instanceof Error ? undefined : assets.files.get(name);
      if (!file || (method !== 'GET' && method !== 'HEAD')) return sendJson(req, res, 404, problem('NotFound', 'No such console file.'));
      // Names carry a content hash: a new build has new names, so a file never changes.
      return send(req, res, 200, file.contentType, file.body, { ...consoleHeaders(), 'cache-control': 'public, max-age=31536000, immutable' });
    }
    if (path === `${consoleBasePath}/session`) {
      if (method === 'GET' || method === 'HEAD') {
        const session = sessionOf(req);
        if (!session) return sendJson(req, res, 401, problem('NotSignedIn', 'Sign in with the admin token.'));
        return sendJson(req, res, 200, sessionAnswer(session.csrfToken, session.expiresAt));
      }
      if (method === 'POST') return signIn(req, res);
      if (method === 'DELETE') {
        const session = sessionOf(req);
        if (session) {
          if (!sessions.csrfMatches(session, headerValue(req, csrfHeader))) return sendJson(req, res, 403, csrfProblem());
          sessions.close(session.id);
        }
        return sendJson(req, res, 200, { signedIn: false }, { 'set-cookie': sessionCookie(req, '', 0) });
      }
      return sendJson(req, res, 405, problem('MethodNotAllowed', 'Use GET, POST or DELETE on the session.'), { allow: 'GET, HEAD, POST, DELETE' });
    }
    return sendJson(req, res, 404, problem('NotFound', 'The admin console has no such page.'));
  };

  const signIn = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const address = req.socket.remoteAddress ?? 'unknown';
    const verdict = limiter.attempt(address);
    if (!verdict.allowed) {
      return sendJson(req, res, 429, problem('TooManySignInAttempts', `Too many sign-in attempts from this address. Try again in ${verdict.retryAfterSeconds} s.`), {
        'retry-after': String(verdict.retryAfterSeconds),
      });
    }
    let token: string;
    try {
      token = await readSignInToken(req);
    } catch (err) {
      if (err instanceof JsonBodyError) return sendJson(req, res, err.status, problem('InvalidSignInRequest', err.message));
      throw err;
    }
    if (!timingSafeEqual(digest(token), digest(options.adminToken))) {
      options.logger?.warn({ address: req.socket.remoteAddress }, 'admin console sign-in refused: wrong token');
      return sendJson(req, res, 401, problem('InvalidAdminToken', 'That is not the admin token.'));
    }
    limiter.succeeded(address);
    const session = sessions.open(undefined);
    const maxAge = (session.expiresAt - now()) / 1000;
    return sendJson(req, res, 200, sessionAnswer(session.csrfToken, session.expiresAt), { 'set-cookie': sessionCookie(req, session.id, maxAge) });
  };

  const sessionAnswer = (csrfToken: string, expiresAt: number) => ({
    signedIn: true,
    csrfToken,
    expiresAt: new Date(expiresAt).toISOString(),
    serviceName: options.serviceName,
    servicePath: consoleServicePath(options.serviceName),
  });

  return {
    handles(req) {
      const path = (req.url ?? '/').split('?')[0]!;
      return path === consoleBasePath || path.startsWith(`${consoleBasePath}/`);
    },
    serve(req, res) {
      serve(req, res).catch((err: unknown) => {
        options.logger?.error({ err, method: req.method, url: req.url }, 'admin console request failed');
        answerInternalError(res, req);
      });
    },
    sessionAccess(req) {
      const session = sessionOf(req);
      if (!session) return 'none';
      if (safeMethods.has((req.method ?? 'GET').toUpperCase())) return 'admin';
      return sessions.csrfMatches(session, headerValue(req, csrfHeader)) ? 'admin' : 'csrf-refused';
    },
  };
}

/** The message of a request that has the session cookie but not the CSRF token. */
export const csrfRefusedMessage = `A request signed in with the console's session cookie must carry the session's CSRF token in the '${csrfHeader}' header.`;

function csrfProblem() {
  return problem('CsrfTokenMissing', csrfRefusedMessage);
}
