/**
 * The management API's HTTP entry point (issue 3 §2–§4): a framework-free `node:http` request
 * listener serving ARM paths for one service. Order of checks follows ARM: authentication,
 * api-version, path, body; every failure is an ARM error body. Callers are the administrator
 * or a user holding a user token, limited to the routes of user-authorization.ts
 * (docs/user-access.md); `…/identity` is the sign-in exchange (passwords and id tokens), and
 * `…/identity/{aad|aadB2C}/…` the developer portal's OpenID Connect sign-in, which needs no
 * credentials (authorization-code-sign-in.ts).
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { EntityStore } from '../../core/entity-store.js';
import type { GatewayHeartbeatStore } from '../../core/gateway-heartbeat-store.js';
import type { Logger } from '../../core/logger.js';
import type { SecretProvider } from '../../core/secret-provider.js';
import { serveNetworkRequest } from '../network/network-handler.js';
import { isNetworkRequestPath } from '../network/network-request-path.js';
import { checkApiVersion } from './api-version.js';
import { ArmError } from './arm-error.js';
import { parseArmPath } from './arm-path.js';
import { authenticate, type Principal } from './request-principal.js';
import { hashSealedPasswords } from './password-migration.js';
import { handleIdentityRequest, isIdentityRequest, type SignInDeps } from './sign-in-exchange.js';
import { handleProviderSignIn, readProviderSignInPath } from './authorization-code-sign-in.js';
import { OpenIdConfigCache } from '../../policies/validate-jwt/openid-config-cache.js';
import { SignInLimiter } from './sign-in-limiter.js';
import type { MailSender } from '../../core/mail-sender.js';
import { defaultSelfServiceLimits, type SelfServiceDeps, type SelfServiceLimits } from './self-service-context.js';
import { asksForUserNotification, checkNotificationPossible, notifyUser } from './user-notification.js';
import { handleSelfServiceRequest, isSelfServiceRequest } from './self-service-identity.js';
import type { MailSite } from './account-mails.js';
import { ensureTenantAccess } from './tenant-access-keys.js';
import { authorizationFailed, userRequestGuard } from './user-authorization.js';
import type { TraceLookup } from '../../core/request-traces.js';
import { handleDebugCredentialsAction, isDebugCredentialsAction } from './debug-credentials.js';
import { isGatewayHeartbeatsRequest, listGatewayHeartbeats } from '../gateway-protocol/gateway-heartbeat-list.js';
import { seedBuiltIns } from './built-in-entities.js';
import { parseMatchHeader } from './etag.js';
import { defaultBodyLimit, readJsonBody } from './request-body.js';
import { handleResourceRequest, type ArmRequest, type ArmResponse } from './resource-operations.js';
import type { SecretSealer } from './secret-sealer.js';
import { handleServiceRequest, type ServiceEndpoints } from './service-resource.js';

export interface ManagementHandlerOptions {
  store: EntityStore;
  /** The one service hosted (`--service-name`); other names are 404. */
  serviceName: string;
  /** The admin token clients send as `Authorization: Bearer …`. */
  adminToken: string;
  /** Seals subscription keys, secret named values and passwords at rest. */
  sealer: SecretSealer;
  /** Reads the secrets of Key Vault named values; without it they are refused. */
  secrets?: SecretProvider;
  /** Who writes, for the audit log (the admin token's holder). */
  actor?: string;
  endpoints?: ServiceEndpoints;
  now?: () => Date;
  bodyLimit?: number;
  logger?: Logger;
  /** The gateway's request traces, for `gateways/{g}/listTrace` (docs/tracing.md); absent: none. */
  traces?: TraceLookup;
  /** Self-hosted gateways' heartbeats, for `gateways/{g}/heartbeats` (docs/self-hosted-gateway.md); absent: none. */
  heartbeats?: GatewayHeartbeatStore;
  /**
   * The admin console's session check (src/portal/admin-console.ts), asked when a request has no
   * Authorization header: `admin` lets it in as the admin, `csrf-refused` is a signed-in request
   * that changes something without the CSRF token.
   */
  sessionAccess?: (req: IncomingMessage) => 'admin' | 'csrf-refused' | 'none';
  /** Limits failed password sign-ins; default 5 a minute per account and per client address. */
  signInLimiter?: SignInLimiter;
  /** Sends the account mails; without it the self-service requests (sign-up, password reset) answer 404. */
  mail?: MailSender;
  /** The developer portal's public URL, which the mailed links point to (docs/sign-up.md), or where to read it when a mail is made; default http://127.0.0.1:8082. */
  portalUrl?: string | (() => string);
  /** Limits the self-service requests; default defaultSelfServiceLimits(). */
  selfServiceLimits?: SelfServiceLimits;
  /** The client's address, read from the developer portal's relay headers when they prove it (relayed-client-address.ts); default: the socket's. */
  clientAddress?: (req: IncomingMessage) => string;
}

/** Where mailed links point when no portal URL is given. */
export const defaultPortalUrl = 'http://127.0.0.1:8082';
/** Identity providers kept at once (there are two that sign in: aad and aadB2C, with room for changes). */
const maxProviderDiscoveries = 16;
/** How long one fetch of a provider's discovery document or keys may take. */
const providerFetchTimeoutMs = 5_000;

/** Creates the management API request listener. */
export function createManagementHandler(options: ManagementHandlerOptions): RequestListener {
  const actor = options.actor ?? 'admin';
  const now = options.now ?? (() => new Date());
  let seeded: Promise<void> | undefined;
  const ensureSeeded = (): Promise<void> => {
    // Before the first answer: built-ins, the tenant access keys, and no sealed password left.
    const seed = async (): Promise<void> => {
      await seedBuiltIns(options.store, actor, now);
      await ensureTenantAccess(options.store, options.sealer, actor);
      await hashSealedPasswords(options.store, options.sealer, actor, options.logger);
    };
    seeded ??= seed().catch((err: unknown) => {
      seeded = undefined;
      throw err;
    });
    return seeded;
  };

  const limiter = options.signInLimiter ?? new SignInLimiter();
  const clientAddress = (req: IncomingMessage): string => options.clientAddress?.(req) ?? req.socket.remoteAddress ?? '';
  const signIn: SignInDeps = { store: options.store, sealer: options.sealer, now, limiter, discovery: new OpenIdConfigCache(maxProviderDiscoveries, providerFetchTimeoutMs) };
  const selfService: SelfServiceDeps | undefined = options.mail
    ? {
        store: options.store,
        sealer: options.sealer,
        now,
        mail: options.mail,
        site: mailSite(options.serviceName, options.portalUrl),
        limits: options.selfServiceLimits ?? defaultSelfServiceLimits(),
        logger: options.logger,
      }
    : undefined;
  const serve = async (req: IncomingMessage): Promise<ArmResponse> => {
    // Sign-up and password reset take no credentials: served before anything is authenticated.
    const selfServicePath = selfServiceSegments(req.url ?? '/', options.serviceName);
    if (selfServicePath) {
      checkApiVersion(new URL(req.url ?? '/', 'http://localhost').searchParams.get('api-version'));
      if (!selfService) throw new ArmError(404, 'NotFound', 'Self-service sign-up and password reset are not enabled on this service (no mail sender).');
      await ensureSeeded();
      return handleSelfServiceRequest(req, selfServicePath, clientAddress(req), selfService);
    }
    // The portal's OpenID Connect sign-in carries its own credentials (the code): no Authorization.
    const providerSignIn = providerSignInTarget(req, options.serviceName);
    if (providerSignIn) {
      checkApiVersion(providerSignIn.url.searchParams.get('api-version'));
      const method = (req.method ?? 'GET').toUpperCase();
      const body = method === 'POST' ? await readJsonBody(req, options.bodyLimit ?? defaultBodyLimit) : undefined;
      await ensureSeeded();
      return handleProviderSignIn(method, providerSignIn.target, body, clientAddress(req), signIn);
    }
    // The admin console's session cookie stands for the admin when no Authorization header is sent.
    const session = req.headers.authorization === undefined ? (options.sessionAccess?.(req) ?? 'none') : 'none';
    if (session === 'csrf-refused') throw new ArmError(403, 'CsrfTokenMissing', "A request signed in with the admin console's session cookie must carry the session's CSRF token in the 'x-csrf-token' header.");
    const principal: Principal = session === 'admin'
      ? { kind: 'admin' }
      : await authenticate(req.headers.authorization, { adminToken: options.adminToken, store: options.store, sealer: options.sealer, now, ready: ensureSeeded });
    // nextLink and other absolute links must use the scheme the client reached us by.
    const scheme = (req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http';
    const url = new URL(req.url ?? '/', `${scheme}://${req.headers.host ?? 'localhost'}`);
    // Microsoft.Network resources (Private Link's network side) have their own handler and api-versions.
    if (isNetworkRequestPath(url.pathname)) {
      if (principal.kind !== 'admin') throw notAdmin(principal, req.method ?? 'GET', url.pathname);
      return serveNetworkRequest(req, url, { store: options.store, serviceName: options.serviceName, actor, bodyLimit: options.bodyLimit });
    }
    checkApiVersion(url.searchParams.get('api-version'));
    const path = parseArmPath(url.pathname, options.serviceName);
    const method = (req.method ?? 'GET').toUpperCase();
    if (isIdentityRequest(path.segments)) {
      await ensureSeeded();
      return handleIdentityRequest(method, principal, clientAddress(req), signIn);
    }
    // Refused before the body is read: a user's request outside the table does no work.
    const guard = principal.kind === 'admin' ? undefined : userRequestGuard(principal.kind === 'visitor' ? undefined : userName(principal), method, path.segments);
    const body = method === 'PUT' || method === 'PATCH' || method === 'POST' ? await readJsonBody(req, options.bodyLimit ?? defaultBodyLimit) : undefined;
    await ensureSeeded();
    const request: ArmRequest = {
      method,
      url,
      segments: path.segments,
      service: path.service,
      body,
      ifMatch: parseMatchHeader(header(req, 'if-match')),
      ifNoneMatch: parseMatchHeader(header(req, 'if-none-match')),
      actor: principal.kind === 'user' ? `user:${principal.name}` : actor,
      guard,
    };
    if (isDebugCredentialsAction(request)) {
      return handleDebugCredentialsAction(request, { store: options.store, sealer: options.sealer, now, serviceName: options.serviceName, traces: options.traces });
    }
    if (options.heartbeats && isGatewayHeartbeatsRequest(request)) return listGatewayHeartbeats(request, options.store, options.heartbeats);
    if (path.segments.length === 0) return handleServiceRequest(request, { store: options.store, now, endpoints: options.endpoints ?? {} });
    // An administrator's `PUT users/{u}?notify=true` mails the user once the write succeeded (user-notification.ts).
    const notify = principal.kind === 'admin' && asksForUserNotification(request);
    if (notify) checkNotificationPossible(selfService);
    const response = await handleResourceRequest(request, { store: options.store, sealer: options.sealer, now, secrets: options.secrets });
    if (notify) await notifyUser(request, response, selfService!);
    return response;
  };

  return (req, res) => {
    serve(req)
      .then((response) => sendArmResponse(req, res, response))
      .catch((err: unknown) => {
        if (!(err instanceof ArmError)) options.logger?.error({ err, method: req.method, url: req.url }, 'management request failed');
        return sendArmResponse(req, res, armErrorResponse(err));
      })
      .catch(() => res.destroy());
  };
}

/** The service's name and the portal's URL as the mails read it (a function is asked anew for each mail). */
function mailSite(serviceName: string, portalUrl: ManagementHandlerOptions['portalUrl']): MailSite {
  return {
    serviceName,
    get portalUrl() {
      return (typeof portalUrl === 'function' ? portalUrl() : portalUrl) ?? defaultPortalUrl;
    },
  };
}

/** The segments below the service when `requestUrl` names a self-service request, else undefined. */
function selfServiceSegments(requestUrl: string, serviceName: string): string[] | undefined {
  try {
    const { segments } = parseArmPath(new URL(requestUrl, 'http://localhost').pathname, serviceName);
    return isSelfServiceRequest(segments) ? segments : undefined;
  } catch {
    // Not an ARM path of this service: the usual order of checks answers it.
    return undefined;
  }
}

/** The user a non-admin principal names ('' for the anonymous visitor); Basic credentials name none outside the sign-in exchange. */
function userName(principal: Exclude<Principal, { kind: 'admin' }>): string {
  if (principal.kind === 'visitor') return '';
  if (principal.kind === 'password') throw new ArmError(401, 'AuthenticationFailed', 'Basic credentials are accepted only by the sign-in exchange (GET …/identity); send the user token it answers as SharedAccessSignature.');
  if (principal.kind === 'idToken') throw new ArmError(401, 'AuthenticationFailed', 'An id token is accepted only by the sign-in exchange (GET …/identity); send the user token it answers as SharedAccessSignature.');
  return principal.name;
}

function notAdmin(principal: Exclude<Principal, { kind: 'admin' }>, method: string, path: string): ArmError {
  return authorizationFailed(userName(principal), `perform '${method.toUpperCase()}' on '${path}'`);
}

/** The sign-in step a request addresses (`…/service/{name}/identity/{provider}/{step}`), or undefined. */
function providerSignInTarget(req: IncomingMessage, serviceName: string): { url: URL; target: NonNullable<ReturnType<typeof readProviderSignInPath>> } | undefined {
  const url = new URL(req.url ?? '/', 'http://localhost');
  let segments: string[];
  try {
    segments = parseArmPath(url.pathname, serviceName).segments;
  } catch {
    // Not a path of this service: the usual checks answer it.
    return undefined;
  }
  const target = readProviderSignInPath(segments);
  return target ? { url, target } : undefined;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

/** The answer to a failed management request: the ArmError's body, or ARM's 500 for anything else. */
export function armErrorResponse(err: unknown): ArmResponse {
  if (err instanceof ArmError) {
    // RFC 6750: a 401 names the scheme the client must use, as ARM's does.
    const headers: Record<string, string> = err.status === 401 ? { 'www-authenticate': 'Bearer error="invalid_token"' } : {};
    return { status: err.status, headers, body: err.body() };
  }
  return { status: 500, headers: {}, body: { error: { code: 'InternalServerError', message: 'The request failed because of an internal error.' } } };
}

/** Writes a management answer: a request id, and the body as JSON unless it is a HEAD. */
export function sendArmResponse(req: IncomingMessage, res: ServerResponse, response: ArmResponse): void {
  const headers: Record<string, string> = { 'x-ms-request-id': randomUUID(), ...response.headers };
  // The request body may be unread (a GET with a body, an early refusal): drain it so the
  // connection stays usable.
  req.resume();
  if (response.body === undefined || req.method === 'HEAD') {
    res.writeHead(response.status, headers);
    res.end();
    return;
  }
  const text = JSON.stringify(response.body);
  headers['content-type'] = 'application/json; charset=utf-8';
  headers['content-length'] = String(Buffer.byteLength(text));
  res.writeHead(response.status, headers);
  res.end(text);
}
