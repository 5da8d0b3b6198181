/**
 * Sends requests to backends with undici: one keep-alive pool per backend origin (undici's
 * Agent keeps a Pool per origin), through `dispatch` (backend-exchange.ts), bodies streamed both
 * ways, hop-by-hop headers removed, `X-Forwarded-For` added, failures mapped to Azure's errors
 * (reference §1.5, §1.7). A call to a Backend entity passes its circuit breaker first and is
 * counted by it after (circuit-breaker.ts), and travels on the connections its `tls`,
 * client certificates and `proxy` ask for (backend-transports.ts).
 */
import { interceptors, type Dispatcher } from 'undici';
import type { Readable } from 'node:stream';
import { joinHeaderValues, type HeaderMap } from '../pipeline/header-map.js';
import { headerValuesForWire } from '../pipeline/header-joining.js';
import { MessageBody } from '../pipeline/message-body.js';
import { PolicyRuntimeError, type BackendCircuit, type ForwardOptions, type Forwarder, type GatewayContext } from '../pipeline/gateway-context.js';
import { extraNamesListedByConnection, isHopByHopLowerCase } from './hop-by-hop.js';
import { BackendExchange, ClientGoneError, type BackendAnswer } from './backend-exchange.js';
import { RedirectFollowingExchange } from './redirect-following-exchange.js';
import { resolveBackendPath } from './backend-url.js';
import { clientGone, clientResponse } from './client-response.js';
import { headerValueForWire } from './header-wire-value.js';
import { gatewayErrors } from '../core/gateway-errors.js';
import { circuitOpenError } from './circuit-breaker.js';
import type { Backend } from '../model/resources.js';
import { BackendTransports, transportSettings } from './backend-transports.js';
import { presentedToBackend } from '../policies/authentication-certificate.js';
import { OutboundCallSender } from './outbound-call-sender.js';
import { coalescedBody } from './coalesced-body.js';
import { isBackendTimeout } from './backend-timeout.js';
import { STATUS_CODES } from 'node:http';
import { traceHeaders } from '../pipeline/trace-recorder.js';
import { backendProxySlot } from '../pipeline/backend-proxy.js';
import { recordBackendCall } from './backend-timing.js';

export interface BackendForwarderOptions {
  /** Keep-alive connections per origin. */
  connectionsPerOrigin?: number;
  /** Records each call's duration and status for `backendTimingOf` (backend-timing.ts): on when an observer is. */
  timeCalls?: boolean;
}

/**
 * forward-request follow-redirects="true": up to 10 redirects, followed by undici's redirect
 * interceptor (undici 7 has no per-call `maxRedirections`).
 */
const redirectFollower = interceptors.redirect({ maxRedirections: 10 });

export class BackendForwarder implements Forwarder {
  /** The connections calls travel on; WebSocket upgrades open theirs here too (websocket-forwarder.ts). */
  readonly transports: BackendTransports;
  private readonly timeCalls: boolean;

  constructor(options: BackendForwarderOptions = {}) {
    this.timeCalls = options.timeCalls ?? false;
    this.transports = new BackendTransports({ connections: options.connectionsPerOrigin ?? 128, keepAliveTimeout: 30_000 });
    this.outbound = new OutboundCallSender(this.transports);
  }

  /** Policies' own calls (send-request …), on the same connection pools. */
  readonly outbound: OutboundCallSender;

  async forward(gw: GatewayContext, options: ForwardOptions): Promise<void> {
    // Timed here rather than by a wrapper: one async frame per call, observed or not.
    const started = this.timeCalls ? performance.now() : 0;
    try {
      const url = gw.request.url;
      const { target, circuit } = backendCallTarget(gw);
      let body: Readable | Buffer | null = null;
      if (options.bufferRequestBody) {
        const content = await gw.request.body.read(true);
        body = content.length > 0 ? content : null;
      } else {
        body = gw.request.body.payload();
      }
      let contentLength: string | undefined;
      if (Buffer.isBuffer(body)) contentLength = String(body.length);
      else if (body === null && methodAllowsBody(gw.request.method)) contentLength = '0';
      const headers = backendHeaderList(gw.request.headers, gw.clientHostHeader, gw.request.peerAddress ?? gw.request.ipAddress, contentLength);

      const timeoutMs = Math.max(1, options.timeoutMs);
      const settings = transportSettings(gw.backend, options.httpVersion ?? '1');
      // authentication-certificate's choice replaces the backend's own client certificates.
      const presented = gw.slot(presentedToBackend);
      if (presented) settings.clientCertificates = [presented];
      // The proxy policy's choice wins over the Backend entity's.
      const chosenProxy = gw.slot(backendProxySlot);
      if (chosenProxy) settings.proxy = chosenProxy;
      const { dispatcher, origin, path } = this.transports.route(settings, url.origin, target + url.queryString, headers);
      if (gw.requestTrace) {
        gw.traceStep('forward-request', {
          message: `Request is being forwarded to the backend service. Timeout set to ${Math.ceil(timeoutMs / 1000)} seconds`,
          request: { method: gw.request.method, url: url.origin + target + url.queryString, headers: headerPairs(headers) },
        });
      }
      const exchange = new BackendExchange(body);
      const client = gw.slot(clientResponse);
      if (client) {
        // A client that goes away takes its backend call with it: the pool connection is freed.
        if (clientGone(client)) throw clientConnectionFailure();
        exchange.watchClient(client);
      }
      let answer: BackendAnswer;
      try {
        const call = {
          origin,
          path,
          method: gw.request.method as Dispatcher.HttpMethod,
          headers,
          body,
          headersTimeout: timeoutMs,
          bodyTimeout: timeoutMs,
        } as Dispatcher.DispatchOptions;
        if (options.followRedirects) dispatcher.compose(redirectFollower).dispatch(call, new RedirectFollowingExchange(exchange));
        else dispatcher.dispatch(call, exchange);
        answer = await exchange.answered;
      } catch (err) {
        throw failedBackendCall(err, circuit, gw.services.clock.now());
      }
      gw.forwarded = true;
      const status = answer.statusCode;
      circuit?.answered(status, answer.headers.first('retry-after'), gw.services.clock.now());
      const arriving = options.bufferResponse === false ? answer.body : coalescedBody(answer.body);
      gw.response = { statusCode: status, statusReason: '', headers: answer.headers, body: new MessageBody(arriving) };
      if (gw.requestTrace) {
        gw.traceStep('forward-request', { response: { status: { code: status, reason: STATUS_CODES[status] ?? '' }, headers: traceHeaders(answer.headers) } });
      }
      if (options.failOnErrorStatusCode && status >= 400) {
        throw new PolicyRuntimeError(
          'forward-request',
          'BackendErrorStatusCode',
          `Backend service responded with status code ${status}.`,
          status,
          `Backend service responded with status code ${status}.`,
        );
      }
    } finally {
      if (this.timeCalls) recordBackendCall(gw, started);
    }
  }

  /** Drops the connection pools no backend of a new snapshot uses (backend-transports.ts). */
  retain(backends: Iterable<Backend>): void {
    this.transports.retain(backends);
  }

  /** Closes every pooled connection. */
  async close(): Promise<void> {
    await this.transports.close();
  }
}

/** A flat `[name, value, …]` header list as a trace lists headers. */
function headerPairs(flat: readonly string[]): Array<{ name: string; value: string }> {
  const out: Array<{ name: string; value: string }> = [];
  for (let i = 0; i + 1 < flat.length; i += 2) out.push({ name: flat[i]!, value: flat[i + 1]! });
  return out;
}

/**
 * The path a backend call goes to and the breaker it passes (WebSocket handshakes too); throws
 * Azure's errors for a path that climbs out of the backend's base and for an open circuit.
 */
export function backendCallTarget(gw: GatewayContext): { target: string; circuit: BackendCircuit | undefined } {
  // No serviceUrl and no set-backend-service: the URL is still the caller's, so a call would go
  // back into this gateway, again and again (each hop waiting on the next). Azure's gateway has
  // no backend to connect to either: BackendConnectionFailure, without a connection attempt.
  if (!gw.backendBase) throw missingBackendError();
  // The last word on the path: whatever policies built, the backend never sees a dot segment.
  const target = resolveBackendPath(gw.request.url.path, gw.backendBase?.path);
  if (!target.ok) {
    const e = gatewayErrors.InvalidRequestPath;
    throw new PolicyRuntimeError('forward-request', e.reason, target.reason, e.status, e.message);
  }
  // A Backend entity's breaker (not a plain URL's): open means the backend is not called.
  const circuit = gw.backend ? gw.services.circuits.of(gw.backend) : undefined;
  if (circuit?.isOpen(gw.services.clock.now())) throw circuitOpenError(gw.backend!);
  return { target: target.path, circuit };
}

/**
 * The request headers as sent to the backend, in one pass over the policies' view without
 * copying it: hop-by-hop headers (and those `Connection` lists) dropped, the client's own Host
 * dropped so the backend sees its own, `X-Forwarded-For` extended, `Content-Length` fixed for a
 * buffered or absent body (only when the client sent one, for the latter), and APIM's joining of
 * repeated values applied. Order is kept; a header that is set in place keeps its position.
 */
export function backendHeaderList(headers: HeaderMap, clientHost: string | undefined, clientIp: string, contentLength: string | undefined): string[] {
  const out: string[] = [];
  const listed = headers.get('connection');
  const connectionListed = listed ? extraNamesListedByConnection(listed) : undefined;
  let forwardedFor = false;
  let lengthWritten = false;
  for (const [lower, entry] of headers.keyedEntries()) {
    if (isHopByHopLowerCase(lower) || connectionListed?.has(lower)) continue;
    const values = entry.values;
    if (lower === 'host') {
      // The backend sees its own host unless a policy set Host explicitly.
      if (joinHeaderValues(values) === clientHost) continue;
    } else if (lower === 'x-forwarded-for') {
      const previous = joinHeaderValues(values);
      out.push('X-Forwarded-For', previous ? `${previous}, ${clientIp}` : clientIp);
      forwardedFor = true;
      continue;
    } else if (lower === 'content-length' && contentLength !== undefined) {
      out.push('Content-Length', contentLength);
      lengthWritten = true;
      continue;
    }
    if (values.length === 1) out.push(entry.name, headerValueForWire(values[0]!));
    else for (const value of headerValuesForWire(entry.name, values)) out.push(entry.name, headerValueForWire(value));
  }
  if (!forwardedFor) out.push('X-Forwarded-For', clientIp);
  // A buffered body always announces its length; an absent one only replaces a length the client sent.
  if (!lengthWritten && contentLength !== undefined && contentLength !== '0') out.push('Content-Length', contentLength);
  return out;
}

function methodAllowsBody(method: string): boolean {
  return method !== 'GET' && method !== 'HEAD';
}

/** The failure of a backend call when neither the API nor a policy named a backend. */
function missingBackendError(): PolicyRuntimeError {
  return new PolicyRuntimeError(
    'forward-request',
    'BackendConnectionFailure',
    'Error occured while calling backend service: the API has no backend service URL and no set-backend-service policy chose one.',
    500,
  );
}

/** Azure's reason for a caller that went away (reference §1.5); nobody is left to read the answer. */
function clientConnectionFailure(): PolicyRuntimeError {
  return new PolicyRuntimeError('forward-request', 'ClientConnectionFailure', new ClientGoneError().message, 500);
}

/** A failed backend call as Azure reports it, counted by the backend's circuit breaker when the backend is to blame. */
export function failedBackendCall(err: unknown, circuit: BackendCircuit | undefined, now: number): PolicyRuntimeError {
  const mapped = mapForwardError(err);
  if (circuit && (mapped.reason === 'BackendConnectionFailure' || mapped.reason === 'Timeout')) circuit.failed(now);
  return mapped;
}

/** Maps a failed backend call to Azure's reasons (reference §1.5): Timeout, ClientConnectionFailure or BackendConnectionFailure. */
function mapForwardError(err: unknown): PolicyRuntimeError {
  if (err instanceof ClientGoneError) return clientConnectionFailure();
  const message = (err as Error).message ?? String(err);
  if (isBackendTimeout(err)) return new PolicyRuntimeError('forward-request', 'Timeout', 'Request to the backend service timed out.', 500);
  return new PolicyRuntimeError(
    'forward-request',
    'BackendConnectionFailure',
    `Error occured while calling backend service: ${message}`,
    500,
  );
}
