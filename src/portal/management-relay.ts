/**
 * The developer portal's way to the management API (DESIGN.md: the portals are its clients):
 * `/portal-api/management/<path below the service>?<query>` is sent on to
 * `<service URL>/<path>?<query>` with the signed-in user's token, or the anonymous visitor's,
 * as `Authorization: SharedAccessSignature …`. The management API decides what that token may
 * do (docs/user-access.md); the portal adds no rights. Only a few request and answer headers
 * cross, so cookies go no further than the portal and tokens never reach the browser.
 */
import type { IncomingMessage } from 'node:http';

/** The path prefix the relay answers. */
export const managementRelayPrefix = '/portal-api/management/';

/** The largest request body relayed (a subscription or a profile is small). */
export const maxRelayedRequestBytes = 64 * 1024;

const relayedRequestHeaders = ['content-type', 'if-match', 'if-none-match', 'accept'];
const relayedAnswerHeaders = ['content-type', 'etag', 'retry-after'];

/** A relayed answer, ready to send to the browser. */
export interface RelayedAnswer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** Why a relay path is refused (400): dot segments, encoded slashes, or nothing after the prefix. */
export class RelayPathError extends Error {}

/**
 * The management URL for a relay request path, or a RelayPathError. `pathAndQuery` is the
 * browser's request target. Dot segments and encoded slashes are refused rather than resolved,
 * so a path can never leave the service.
 */
export function relayTarget(serviceUrl: string, pathAndQuery: string): URL {
  const queryAt = pathAndQuery.indexOf('?');
  const rawPath = queryAt === -1 ? pathAndQuery : pathAndQuery.slice(0, queryAt);
  const query = queryAt === -1 ? '' : pathAndQuery.slice(queryAt);
  if (!rawPath.startsWith(managementRelayPrefix)) throw new RelayPathError('not a relay path');
  const rest = rawPath.slice(managementRelayPrefix.length);
  const segments = rest.split('/');
  for (const segment of segments) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      throw new RelayPathError(`The path segment '${segment}' is not valid percent-encoding.`);
    }
    if (segment === '' || decoded === '.' || decoded === '..' || decoded.includes('/') || decoded.includes('\\')) {
      throw new RelayPathError('The path must name resources below the service, without empty, dot or encoded-slash segments.');
    }
  }
  return new URL(`${serviceUrl.replace(/\/+$/, '')}/${rest}${query}`);
}

/** Sends the browser's request on with `authorization` and reads the answer. */
export async function relayToManagement(target: URL, req: IncomingMessage, body: Buffer | undefined, authorization: string | undefined): Promise<RelayedAnswer> {
  const headers: Record<string, string> = {};
  for (const name of relayedRequestHeaders) {
    const value = req.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  if (authorization !== undefined) headers.authorization = authorization;
  const method = (req.method ?? 'GET').toUpperCase();
  const response = await fetch(target, { method, headers, body: body && body.length > 0 ? new Uint8Array(body) : undefined, redirect: 'manual', signal: AbortSignal.timeout(30_000) });
  const answer: RelayedAnswer = { status: response.status, headers: {}, body: Buffer.from(await response.arrayBuffer()) };
  for (const name of relayedAnswerHeaders) {
    const value = response.headers.get(name);
    if (value !== null) answer.headers[name] = value;
  }
  return answer;
}
