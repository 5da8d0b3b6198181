/**
 * The gateway's request handling: route to API and operation, check the subscription key,
 * build the backend URL, run the policy pipeline from the current snapshot and write the answer
 * (reference §1). Nothing here throws to the server: every failure becomes an Azure error body.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { unmapped, type AddressRanges } from '../core/address-ranges.js';
import { gatewayErrors } from '../core/gateway-errors.js';
import { PolicyRuntimeError, type GatewayServices } from '../pipeline/gateway-context.js';
import { HeaderMap } from '../pipeline/header-map.js';
import { MessageBody } from '../pipeline/message-body.js';
import { parseQueryString } from '../pipeline/request-url.js';
import { originFormTarget } from './request-target.js';
import { answerPreflight, applyCorsToRefusal, handleFailure, isCorsPreflight, runPipeline } from '../pipeline/run-pipeline.js';
import { writeGatewayError, writeGatewayResponse } from './response-writer.js';
import type { SnapshotHolder } from './snapshot/snapshot-holder.js';
import { extractSubscriptionKey } from './subscriptions/extract-subscription-key.js';
import { authorizeOnConnection } from './subscriptions/connection-key-memo.js';
import { matchedRequestContext, type GrantedAccess } from './matched-request-context.js';
import { clientRequestUrl } from './client-url.js';
import { answerUnmatched, missHasOnError, writeNotFound } from './answer-unmatched.js';
import { answerCrossDomainFile } from './answer-cross-domain.js';
import { answerHealthProbe } from './answer-health-probe.js';
import { arrivalEndpointOf } from './arrival-endpoint.js';
import { peerCertificates } from './peer-certificate.js';
import { clientAddress } from './client-address.js';
import type { RequestObserver, RequestRecord } from './request-observer.js';
import { resolveDotSegments, segmentCount } from './dot-segments.js';
import { clientResponse } from './client-response.js';
import { applyDebugToken, finishTrace, takeDebugToken } from './debug-authorization.js';
import { protocolSwitched, tunnelOf } from './websocket/client-tunnel.js';

export interface RequestHandlerOptions {
  /** Proxies whose `X-Forwarded-For` names the client (`--trusted-proxies`, client-address.ts). */
  trustedProxies?: AddressRanges | null;
  /** Told about every request (access log, metrics; request-observer.ts); none by default. */
  observer?: RequestObserver;
}

export type GatewayRequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

/** Creates the handler a listener calls for every request. */
export function createRequestHandler(
  snapshots: SnapshotHolder,
  services: GatewayServices,
  options: RequestHandlerOptions = {},
): GatewayRequestHandler {
  return (req, res) => {
    handle(req, res).catch((err: unknown) => {
      services.logger.error({ err }, 'unhandled gateway failure');
      if (!res.headersSent) {
        const e = gatewayErrors.InternalServerError;
        writeGatewayError(res, e.status, e.message, {}, crypto.randomUUID());
      } else res.destroy();
    });
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const record = options.observer?.begin(req, res);
    const snapshot = snapshots.current;
    const rawUrl = originFormTarget(req.url ?? '/');
    const q = rawUrl.indexOf('?');
    const receivedPath = q === -1 ? rawUrl : rawUrl.slice(0, q);
    const rawQuery = q === -1 ? '' : rawUrl.slice(q + 1);
    const query = parseQueryString(rawQuery);
    const encrypted = Boolean((req.socket as TLSSocket).encrypted);
    // A WebSocket handshake arrives as `ws`/`wss`: only APIs listing those protocols match it.
    const webSocket = tunnelOf(res) !== undefined;
    const scheme = webSocket ? (encrypted ? 'wss' : 'ws') : encrypted ? 'https' : 'http';
    const headers = HeaderMap.fromRaw(req.rawHeaders);
    // Never seen by policies or the backend, whether or not the request is traced.
    const debugToken = takeDebugToken(headers);
    const method = (req.method ?? 'GET').toUpperCase();
    // The socket's endpoint (tagged by its listener, src/network) and the caller as policies see it.
    const endpoint = arrivalEndpointOf(req.socket);
    const peerAddress = unmapped(req.socket.remoteAddress ?? '');
    const ipAddress = clientAddress(peerAddress, headers, options.trustedProxies ?? null);
    if (record) record.clientIp = ipAddress;
    if (endpoint.kind === 'public' && snapshot.network.publicNetworkAccess === 'Disabled') {
      // Refused before routing, as Azure's front end does (reference §6.3).
      req.resume();
      const e = gatewayErrors.PublicNetworkAccessDisabled;
      if (record) record.error = e.reason;
      const message = e.message.replace('{clientIp}', ipAddress).replaceAll('{serviceName}', snapshot.catalog.serviceName);
      return writeGatewayError(res, e.status, message);
    }
    const privateEndpointConnection = endpoint.kind === 'private' ? endpoint.connection : null;
    // Dot segments are resolved before routing; the router, policies and backend never see them.
    const resolved = resolveDotSegments(receivedPath);
    if (!resolved.ok) return refusePath(req, res, record);
    const rawPath = resolved.path;
    if (answerHealthProbe(req, method, rawPath, res)) return;

    const header = (name: string) => headers.get(name);
    let route = snapshot.routes.match({ method, path: rawPath, query, header, scheme });
    const preflightMethod = method === 'OPTIONS' && headers.has('origin') ? headers.get('access-control-request-method') : undefined;
    if (!route.matched && preflightMethod) {
      // A CORS preflight reaches the operation it asks about; the cors policy answers it.
      route = snapshot.routes.match({ method: preflightMethod.trim().toUpperCase(), path: rawPath, query, header, scheme });
    }
    // A `..` may remove segments of the operation part only, never of the API's own path. Only a
    // path where a `..` removed a segment (lowestDepth finite) can have climbed: most never count.
    if (resolved.lowestDepth !== Infinity) {
      const apiDepth = route.matched ? segmentCount(route.apiPrefix) : route.api ? segmentCount(route.api.path) : Infinity;
      if (resolved.lowestDepth < apiDepth) return refusePath(req, res, record);
    }
    if (!route.matched) {
      req.resume();
      // The global cross-domain policy's files, where no operation claims the path.
      if (answerCrossDomainFile(snapshot.crossDomain, method, rawPath, res)) return;
      if (record) {
        record.api = route.api ?? null;
        record.error = gatewayErrors.OperationNotFound.reason;
      }
      if (!missHasOnError(snapshot, route.api)) return writeNotFound(res);
      const host = headers.get('host') ?? `${req.socket.localAddress ?? 'localhost'}:${req.socket.localPort ?? 80}`;
      const url = clientRequestUrl(scheme, host, rawPath, rawQuery, query);
      const request = {
        method,
        originalMethod: method,
        url,
        originalUrl: url.clone(),
        headers,
        body: MessageBody.empty(),
        ipAddress,
        peerAddress,
        matchedParameters: {},
        privateEndpointConnection,
      };
      return answerUnmatched(snapshot, services, request, route.api, res);
    }
    const key = extractSubscriptionKey(route.api, header, query);
    const access = authorizeOnConnection(req.socket, snapshot.subscriptions, route.api, key);
    const denied = access.granted ? null : gatewayErrors[access.code];
    const hostHeader = headers.get('host') ?? `${req.socket.localAddress ?? 'localhost'}:${req.socket.localPort ?? 80}`;
    // Node keeps the first Content-Length; reading our map avoids building `req.headers`.
    const contentLength = headers.first('content-length');
    const hasBody = contentLength !== undefined ? contentLength !== '0' : headers.has('transfer-encoding');
    const arrived = {
      method,
      scheme,
      host: hostHeader,
      rawPath,
      rawQuery,
      query,
      headers,
      body: hasBody && !denied ? new MessageBody(req) : MessageBody.empty(),
      ipAddress,
      peerAddress,
      privateEndpointConnection,
      ...(encrypted ? clientCertificates(req.socket as TLSSocket) : {}),
    };
    const granted = access.granted ? access : noAccess;
    const gw = matchedRequestContext(arrived, route, granted, services, snapshot.catalog);
    const trace = debugToken === undefined ? undefined : applyDebugToken(gw, debugToken, key);
    if (record) record.gateway = gw;
    gw.setSlot(clientResponse, res);
    if (!hasBody || denied) req.resume();
    const pipeline = snapshot.pipelineFor(route.api, route.operation, access.granted ? access.product : null);
    if (denied && preflightMethod && isCorsPreflight(gw) && (await answerPreflight(pipeline, gw))) {
      // answered by cors without a key
    } else if (denied) {
      await applyCorsToRefusal(pipeline, gw);
      // Key failures run the on-error sections with LastError set, as Azure does (reference §1.5).
      await handleFailure(pipeline, gw, new PolicyRuntimeError(denied.source, denied.reason, denied.lastErrorMessage, denied.status, denied.message));
    } else {
      await runPipeline(pipeline, gw);
    }
    // A handshake the backend accepted left HTTP: the connection is a tunnel now.
    if (!protocolSwitched(res)) {
      const writing = writeGatewayResponse(gw, res, method === 'HEAD');
      if (writing) await writing;
    }
    if (hasBody) gw.request.body.discard();
    if (trace) finishTrace(gw, trace);
  }
}

/** What a call without a granted subscription runs with. */
const noAccess: GrantedAccess = { product: null, subscription: null, user: null };

/** The caller's TLS client certificate and the intermediates it sent, for the request context. */
function clientCertificates(socket: TLSSocket): { clientCertificate?: Uint8Array; clientIntermediates?: Uint8Array[] } {
  const peer = peerCertificates(socket);
  return peer.certificate ? { clientCertificate: peer.certificate, clientIntermediates: peer.intermediates } : {};
}

/** Answers 400 for a path whose dot segments climb too far or hide (docs/routing.md, "Dot segments"). */
function refusePath(req: IncomingMessage, res: ServerResponse, record: RequestRecord | undefined): void {
  req.resume();
  const e = gatewayErrors.InvalidRequestPath;
  if (record) record.error = e.reason;
  writeGatewayError(res, e.status, e.message);
}
