/**
 * The developer portal on `--portal-port` (issue 18 §2): a page for API consumers, served by its
 * own listener, that reads and writes only through the management API (management-relay.ts).
 *
 * | path | what |
 * |---|---|
 * | `GET /assets/<file>` | the page's content-hashed script and style sheet (web/portal/) |
 * | `GET /portal-api/session` | who is signed in: `{ signedIn, userId, csrfToken, expiresAt, gatewayUrl }` or `{ signedIn: false, gatewayUrl }` |
 * | `POST /portal-api/session` | sign in with `{ "email", "password" }` (the management API's `GET …/identity` with Basic) |
 * | `DELETE /portal-api/session` | sign out (needs the CSRF header) |
 * | `… /portal-api/management/<path>` | the management API below the service, as the signed-in user or the anonymous visitor |
 * | `POST /portal-api/try` | the try-it console's call to the gateway (try-it-relay.ts) |
 * | `POST /portal-api/identity/<action>` | sign-up, confirmation and password reset, sent on to `…/identity/<action>` |
 * | any other `GET` | the page (it draws the view the path names: `/apis/echo`, `/confirm?…`) |
 *
 * A session holds the user's token on the server; the browser has only an HttpOnly cookie and
 * the session's CSRF token, which every request that changes something must carry. Requests
 * without a session that change something (sign-in, sign-up, try-it) must be JSON, and a
 * browser's `Sec-Fetch-Site` must say same-origin, so another site cannot forge them.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../core/logger.js';
import { csrfHeader } from './admin-console.js';
import { createAdminSessions, type AdminSession, type SessionLifetimes } from './admin-sessions.js';
import { answerInternalError, headerValue, problem, send, sendJson } from './console-answers.js';
import { loadConsoleAssets, portalAssetsDir, type ConsoleAssets } from './console-assets.js';
import { consoleHeaders, newNonce } from './console-headers.js';
import { consolePage, notBuiltPage, type PageIdentity } from './console-page.js';
import { JsonBodyError, readBoundedBody, readJsonObject } from './json-body.js';
import { managementRelayPrefix, maxRelayedRequestBytes, relayTarget, relayToManagement, RelayPathError } from './management-relay.js';
import { portalCookieNames, readSessionCookie, sessionCookie } from './session-cookie.js';
import { createSignInLimiter, type SignInLimit } from './sign-in-limiter.js';
import { callGateway, readTryItRequest, TryItRequestError } from './try-it-relay.js';

/** The management API version the portal speaks. */
export const portalApiVersion = '2024-05-01';

/** What a portal session keeps on the server. */
export interface PortalUser {
  userId: string;
  /** The user token (`SharedAccessSignature` scheme value). */
  token: string;
}

export interface DeveloperPortalOptions {
  /** The management API's URL of the service, e.g. `http://127.0.0.1:8081/subscriptions/…/service/gatehouse`. */
  serviceUrl: string;
  /** The gateway the try-it console calls. */
  gatewayUrl: string;
  /** The anonymous visitor's `Authorization` value (main mints it); undefined while tenant access is off. */
  visitorAuthorization(): Promise<string | undefined>;
  /**
   * Headers that tell the management API which client a sign-in came from, so its per-address
   * limit counts the visitor and not the portal (main passes a secret shared with the management handler).
   */
  clientAddressHeaders?(address: string): Record<string, string>;
  /** Extra handlers mounted on the portal (the OpenID Connect sign-in). */
  extensions?: ReadonlyArray<{ handles(req: IncomingMessage): boolean; serve(req: IncomingMessage, res: ServerResponse): void }>;
  assetsDir?: string;
  lifetimes?: SessionLifetimes;
  signInLimit?: SignInLimit;
  now?: () => number;
  logger?: Logger;
}

export interface DeveloperPortal {
  serve(req: IncomingMessage, res: ServerResponse): void;
  /** Opens a session for a user the management API signed in, and sets its cookie (for extensions). */
  completeSignIn(req: IncomingMessage, res: ServerResponse, user: PortalUser): void;
}

/** Two quiet hours, at most the user token's eight hours less a margin. */
export const portalSessionLifetimes: SessionLifetimes = { idleMs: 2 * 60 * 60_000, absoluteMs: 8 * 60 * 60_000 - 5 * 60_000 };

const portalPage: PageIdentity = { assetsPath: '/assets', title: 'Gatehouse developer portal' };
const safeMethods = new Set(['GET', 'HEAD']);
const identityActions = new Set(['signup', 'confirm', 'passwordReset', 'passwordReset/confirm']);

/** Creates the portal's request handling. */
export function createDeveloperPortal(options: DeveloperPortalOptions): DeveloperPortal {
  const now = options.now ?? Date.now;
  const sessions = createAdminSessions<PortalUser>(options.lifetimes ?? portalSessionLifetimes, now);
  const limiter = createSignInLimiter(options.signInLimit, now);
  const serviceUrl = options.serviceUrl.replace(/\/+$/, '');
  const gatewayUrl = options.gatewayUrl.replace(/\/+$/, '');
  let assets: ConsoleAssets | Error;
  try {
    assets = loadConsoleAssets(options.assetsDir ?? portalAssetsDir, 'the developer portal');
  } catch (err) {
    assets = err as Error;
    options.logger?.warn({ reason: assets.message }, 'developer portal page unavailable');
  }

  const sessionOf = (req: IncomingMessage): AdminSession<PortalUser> | undefined => {
    const id = readSessionCookie(req, portalCookieNames);
    return id === undefined ? undefined : sessions.touch(id);
  };
  const address = (req: IncomingMessage): string => req.socket.remoteAddress ?? 'unknown';
  const forwardedAddress = (req: IncomingMessage): Record<string, string> => options.clientAddressHeaders?.(address(req)) ?? {};

  const sessionAnswer = (session: AdminSession<PortalUser>) => ({
    signedIn: true,
    userId: session.data.userId,
    csrfToken: session.csrfToken,
    expiresAt: new Date(session.expiresAt).toISOString(),
    gatewayUrl,
  });
  /** The answer for a visitor who is not signed in: the gateway's URL still, for the try-it console's request line. */
  const anonymousAnswer = () => ({ signedIn: false, gatewayUrl });

  /** Opens a session for `user` and sets its cookie on the answer. */
  const startSession = (req: IncomingMessage, res: ServerResponse, user: PortalUser): AdminSession<PortalUser> => {
    const session = sessions.open(user);
    res.setHeader('set-cookie', sessionCookie(req, session.id, (session.expiresAt - now()) / 1000, portalCookieNames));
    return session;
  };

  /** Opens the session and answers it as JSON. */
  const openSession = (req: IncomingMessage, res: ServerResponse, user: PortalUser): void => {
    sendJson(req, res, 200, sessionAnswer(startSession(req, res, user)));
  };

  /** A request without a session that changes something: JSON and same-origin only. */
  const crossSiteRefusal = (req: IncomingMessage): string | undefined => {
    const site = headerValue(req, 'sec-fetch-site');
    if (site !== undefined && site !== 'same-origin' && site !== 'none') return 'The portal answers requests from its own pages only.';
    return undefined;
  };

  /** The session of a request that changes something, checked against its CSRF token; a refusal was answered when it returns null. */
  const checkedSession = (req: IncomingMessage, res: ServerResponse): AdminSession<PortalUser> | undefined | null => {
    const session = sessionOf(req);
    const method = (req.method ?? 'GET').toUpperCase();
    if (safeMethods.has(method)) return session;
    const refusal = crossSiteRefusal(req);
    if (refusal) {
      sendJson(req, res, 403, problem('CrossSiteRequest', refusal));
      return null;
    }
    if (session && !sessions.csrfMatches(session, headerValue(req, csrfHeader))) {
      sendJson(req, res, 403, problem('CsrfTokenMissing', `A signed-in request that changes something must carry the session's CSRF token in the '${csrfHeader}' header.`));
      return null;
    }
    return session;
  };

  const signIn = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const refusal = crossSiteRefusal(req);
    if (refusal) return sendJson(req, res, 403, problem('CrossSiteRequest', refusal));
    const verdict = limiter.attempt(address(req));
    if (!verdict.allowed) {
      return sendJson(req, res, 429, problem('TooManySignInAttempts', `Too many sign-in attempts from this address. Try again in ${verdict.retryAfterSeconds} s.`), { 'retry-after': String(verdict.retryAfterSeconds) });
    }
    const body = await readJsonObject(req, 4096, 'The sign-in body');
    const { email, password } = body;
    if (typeof email !== 'string' || email === '' || typeof password !== 'string' || password === '') {
      return sendJson(req, res, 400, problem('InvalidSignInRequest', "The sign-in body needs the strings 'email' and 'password'."));
    }
    if (email.includes(':')) return sendJson(req, res, 401, problem('AuthenticationFailed', 'The e-mail address or password is incorrect.'));
    const basic = Buffer.from(`${email}:${password}`, 'utf8').toString('base64');
    const response = await fetch(`${serviceUrl}/identity?api-version=${portalApiVersion}`, {
      headers: { authorization: `Basic ${basic}`, accept: 'application/json', ...forwardedAddress(req) },
      signal: AbortSignal.timeout(30_000),
    });
    const answer = (await response.json().catch(() => undefined)) as { id?: unknown; value?: unknown; error?: unknown } | undefined;
    if (response.status !== 200 || typeof answer?.id !== 'string' || typeof answer.value !== 'string') {
      const retryAfter = response.headers.get('retry-after');
      return sendJson(req, res, response.status === 200 ? 502 : response.status, answer?.error ? { error: answer.error } : problem('SignInFailed', `The management API answered ${response.status}.`), retryAfter ? { 'retry-after': retryAfter } : {});
    }
    limiter.succeeded(address(req));
    openSession(req, res, { userId: answer.id, token: answer.value });
  };

  const session = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const method = (req.method ?? 'GET').toUpperCase();
    if (method === 'GET' || method === 'HEAD') {
      const current = sessionOf(req);
      return sendJson(req, res, 200, current ? sessionAnswer(current) : anonymousAnswer());
    }
    if (method === 'POST') return signIn(req, res);
    if (method === 'DELETE') {
      const current = checkedSession(req, res);
      if (current === null) return;
      if (current) sessions.close(current.id);
      return sendJson(req, res, 200, anonymousAnswer(), { 'set-cookie': sessionCookie(req, '', 0, portalCookieNames) });
    }
    return sendJson(req, res, 405, problem('MethodNotAllowed', 'Use GET, POST or DELETE on the session.'), { allow: 'GET, HEAD, POST, DELETE' });
  };

  const relay = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const current = checkedSession(req, res);
    if (current === null) return;
    let target: URL;
    try {
      target = relayTarget(serviceUrl, req.url ?? '/');
    } catch (err) {
      if (err instanceof RelayPathError) return sendJson(req, res, 400, problem('InvalidRequestUri', err.message));
      throw err;
    }
    if (!target.searchParams.has('api-version')) target.searchParams.set('api-version', portalApiVersion);
    const body = await readBoundedBody(req, maxRelayedRequestBytes);
    if (body === undefined) return sendJson(req, res, 413, problem('RequestTooLarge', `The portal relays bodies of at most ${maxRelayedRequestBytes} bytes.`));
    const authorization = current ? `SharedAccessSignature ${current.data.token}` : await visitor();
    if (authorization === undefined && !current) return sendJson(req, res, 401, problem('NotSignedIn', 'Sign in to see the APIs: the portal shows nothing to visitors while user access (tenant/access) is turned off.'));
    let answer = await relayToManagement(target, req, body, authorization);
    if (answer.status === 401 && !current) {
      // The tenant keys were regenerated since the visitor token was made: make another, once.
      visitorToken = undefined;
      answer = await relayToManagement(target, req, body, await visitor());
    } else if (answer.status === 401 && current) {
      sessions.close(current.id);
      return sendJson(req, res, 401, problem('SessionEnded', 'Your session has ended. Sign in again.'), { 'set-cookie': sessionCookie(req, '', 0, portalCookieNames) });
    }
    send(req, res, answer.status, answer.headers['content-type'] ?? 'application/json; charset=utf-8', answer.body, { ...consoleHeaders(), 'cache-control': 'no-store', ...withoutContentType(answer.headers) });
  };

  let visitorToken: { value: string | undefined; until: number } | undefined;
  const visitor = async (): Promise<string | undefined> => {
    if (visitorToken && now() < visitorToken.until) return visitorToken.value;
    const value = await options.visitorAuthorization();
    // Minted for an hour; made again after 50 minutes, or at once after a refusal.
    visitorToken = { value, until: now() + 50 * 60_000 };
    return value;
  };

  const tryIt = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if ((req.method ?? 'GET').toUpperCase() !== 'POST') return sendJson(req, res, 405, problem('MethodNotAllowed', 'The try-it console posts its calls.'), { allow: 'POST' });
    const current = checkedSession(req, res);
    if (current === null) return;
    const given = await readJsonObject(req, 2 * 1024 * 1024, 'The try-it request');
    try {
      const call = readTryItRequest(given);
      return sendJson(req, res, 200, await callGateway(options.gatewayUrl, call));
    } catch (err) {
      if (err instanceof TryItRequestError) return sendJson(req, res, 400, problem('InvalidTryItRequest', err.message));
      throw err;
    }
  };

  const identity = async (req: IncomingMessage, res: ServerResponse, action: string): Promise<void> => {
    if ((req.method ?? 'GET').toUpperCase() !== 'POST') return sendJson(req, res, 405, problem('MethodNotAllowed', 'Post to this path.'), { allow: 'POST' });
    const refusal = crossSiteRefusal(req);
    if (refusal) return sendJson(req, res, 403, problem('CrossSiteRequest', refusal));
    const given = await readJsonObject(req, 8192, 'The request body');
    const response = await fetch(`${serviceUrl}/identity/${action}?api-version=${portalApiVersion}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...forwardedAddress(req) },
      body: JSON.stringify(given),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await response.text();
    // A confirmed sign-up answers a user token: the user is signed in on the portal from here.
    if (action === 'confirm' && response.status === 200) {
      const answer = JSON.parse(text) as { id?: unknown; value?: unknown };
      if (typeof answer.id === 'string' && typeof answer.value === 'string') return openSession(req, res, { userId: answer.id, token: answer.value });
    }
    const retryAfter = response.headers.get('retry-after');
    send(req, res, response.status, response.headers.get('content-type') ?? 'application/json; charset=utf-8', text, { ...consoleHeaders(), 'cache-control': 'no-store', ...(retryAfter ? { 'retry-after': retryAfter } : {}) });
  };

  const serve = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://portal.invalid');
    const method = (req.method ?? 'GET').toUpperCase();
    const path = url.pathname;
    for (const extension of options.extensions ?? []) if (extension.handles(req)) return extension.serve(req, res);
    try {
      if (path === '/portal-api/session') return await session(req, res);
      if (path.startsWith(managementRelayPrefix)) return await relay(req, res);
      if (path === '/portal-api/try') return await tryIt(req, res);
      if (path.startsWith('/portal-api/identity/') && identityActions.has(path.slice('/portal-api/identity/'.length))) return await identity(req, res, path.slice('/portal-api/identity/'.length));
    } catch (err) {
      if (err instanceof JsonBodyError) return sendJson(req, res, err.status, problem('InvalidRequestBody', err.message));
      throw err;
    }
    if (path.startsWith('/portal-api/')) return sendJson(req, res, 404, problem('NotFound', 'The portal has no such path.'));
    if (path.startsWith('/assets/')) {
      const file = assets instanceof Error ? undefined : assets.files.get(path.slice('/assets/'.length));
      if (!file || !safeMethods.has(method)) return sendJson(req, res, 404, problem('NotFound', 'No such portal file.'));
      return send(req, res, 200, file.contentType, file.body, { ...consoleHeaders(), 'cache-control': 'public, max-age=31536000, immutable' });
    }
    if (!safeMethods.has(method)) return sendJson(req, res, 405, problem('MethodNotAllowed', 'The portal page answers GET only.'), { allow: 'GET, HEAD' });
    if (assets instanceof Error) return send(req, res, 503, 'text/html; charset=utf-8', notBuiltPage(assets.message, portalPage), consoleHeaders());
    const nonce = newNonce();
    return send(req, res, 200, 'text/html; charset=utf-8', consolePage(assets, nonce, portalPage), { ...consoleHeaders(nonce), 'cache-control': 'no-store' });
  };

  return {
    serve(req, res) {
      serve(req, res).catch((err: unknown) => {
        options.logger?.error({ err, method: req.method, url: req.url }, 'developer portal request failed');
        answerInternalError(res, req);
      });
    },
    completeSignIn(req, res, user) {
      startSession(req, res, user);
    },
  };
}

function withoutContentType(headers: Record<string, string>): Record<string, string> {
  const { 'content-type': _ignored, ...rest } = headers;
  return rest;
}
