/**
 * The request routing contract (reference §1.2–1.3): what the router needs from a request and
 * what it answers. The router is pure: it reads these values and never touches sockets.
 *
 * Shape notes (deviations from the first sketch, on purpose):
 * - `RouteMatch` and `RouteMiss` carry a `matched` discriminant so callers narrow with one check.
 * - `scheme` accepts `ws`/`wss` too, because a WebSocket API lists only those in `protocols`.
 * - `RouteMatch` also reports the version and revision that answered and the raw path prefix the
 *   API consumed, which the caller needs for `context.Api` and for tracing.
 */
import type { Api, Operation, Protocol } from '../../model/resources.js';
import type { GatewayErrorCode } from '../../core/gateway-errors.js';

/** What the router reads from an incoming request. */
export interface RouteRequest {
  /** HTTP method as received; compared case-insensitively. */
  method: string;
  /** The raw path, percent-encoded as received, starting with `/`, without the query. */
  path: string;
  /** Ordered, decoded query pairs; a name may repeat. */
  query: ReadonlyArray<readonly [string, string]>;
  /** Header lookup; names are case-insensitive (the caller's map decides). */
  header(name: string): string | undefined;
  /** The scheme the request arrived on; must be in `api.protocols`. */
  scheme: Protocol;
}

/** A request that found its API, version, revision and operation. */
export interface RouteMatch {
  matched: true;
  api: Api;
  operation: Operation;
  /** Template parameter values (path segments URL-decoded, query values as given). */
  matchedParameters: Record<string, string>;
  /**
   * The operation-relative path, raw as received (e.g. `/partners/15`, `''` for the API root):
   * the backend URL is `serviceUrl + remainingPath + query` (reference §1.3).
   */
  remainingPath: string;
  /** The raw prefix of the path that selected the API (path, version segment, `;rev=`). */
  apiPrefix: string;
  /** The version identifier that selected the API, or undefined for an unversioned/Original API. */
  versionId: string | undefined;
  /** The revision that answered (`api.apiRevision`). */
  revision: string;
}

/** Why nothing matched; all of them answer the same 404 (reference §1.5). */
export type RouteMissReason =
  | 'api-not-found'
  | 'version-not-found'
  | 'revision-not-found'
  | 'protocol-not-allowed'
  | 'operation-not-found';

/** A request that matches no operation: the caller answers 404 `Resource not found`. */
export interface RouteMiss {
  matched: false;
  /** Diagnostic detail only; Azure answers every miss identically. */
  reason: RouteMissReason;
  /** The gateway error to answer with (always `OperationNotFound`). */
  error: GatewayErrorCode;
  /** The API that was selected before the miss, when one was. */
  api?: Api;
}

/** The router's answer. */
export type RouteResult = RouteMatch | RouteMiss;
