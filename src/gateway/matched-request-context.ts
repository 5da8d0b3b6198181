/**
 * The per-request context of a call that matched an API and an operation: the client URL as
 * called, the backend URL (serviceUrl + the operation-relative rest + the query, backend-url.ts)
 * and what the router and the key check decided. The request handler builds every matched call's
 * context here, and so does the policy test harness, so tests run the gateway's own construction.
 */
import type { Api, Operation, Product, Subscription, User } from '../model/resources.js';
import { GatewayContext, type GatewayServices, type PrivateEndpointInfo, type RuntimeCatalog } from '../pipeline/gateway-context.js';
import type { HeaderMap } from '../pipeline/header-map.js';
import type { MessageBody } from '../pipeline/message-body.js';
import { buildBackendUrl } from './backend-url.js';
import { clientRequestUrl } from './client-url.js';

/** The request as it arrived, after dot segments were resolved. */
export interface ArrivedRequest {
  method: string;
  scheme: string;
  /** The Host header (or the listener's address when there was none). */
  host: string;
  rawPath: string;
  rawQuery: string;
  /** `rawQuery` parsed once (the router and the key lookup share it). */
  query: Array<[string, string]>;
  headers: HeaderMap;
  body: MessageBody;
  ipAddress: string;
  peerAddress?: string;
  privateEndpointConnection: PrivateEndpointInfo | null;
  /** The DER of the caller's TLS client certificate, when it presented one. */
  clientCertificate?: Uint8Array;
  /** The certificates the caller sent after its own. */
  clientIntermediates?: Uint8Array[];
}

/** What the router matched. */
export interface MatchedRoute {
  api: Api;
  operation: Operation;
  /** The path after the API's path, as the operation template matched it. */
  remainingPath: string;
  matchedParameters: Record<string, string>;
}

/** What the subscription check granted (null fields when the call has no subscription). */
export interface GrantedAccess {
  product: Product | null;
  subscription: Subscription | null;
  user: User | null;
}

/** Builds the context of a matched call. */
export function matchedRequestContext(
  arrived: ArrivedRequest,
  route: MatchedRoute,
  access: GrantedAccess,
  services: GatewayServices,
  catalog: RuntimeCatalog,
): GatewayContext {
  const originalUrl = clientRequestUrl(arrived.scheme, arrived.host, arrived.rawPath, arrived.rawQuery, arrived.query);
  const backend = buildBackendUrl(route.api.serviceUrl, route.remainingPath, arrived.rawQuery, originalUrl, arrived.query);
  return new GatewayContext(
    {
      method: arrived.method,
      originalMethod: arrived.method,
      url: backend.url,
      originalUrl,
      headers: arrived.headers,
      body: arrived.body,
      ipAddress: arrived.ipAddress,
      peerAddress: arrived.peerAddress,
      matchedParameters: route.matchedParameters,
      privateEndpointConnection: arrived.privateEndpointConnection,
      clientCertificate: arrived.clientCertificate,
      clientIntermediates: arrived.clientIntermediates,
    },
    {
      api: route.api,
      apiId: route.api.name,
      operation: route.operation,
      product: access.product,
      subscription: access.subscription,
      user: access.user,
      backendBase: backend.base,
    },
    services,
    catalog,
  );
}
