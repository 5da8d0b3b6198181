/**
 * Sends the requests policies make on their own (send-request, send-one-way-request) through the
 * gateway's backend transports (backend-transports.ts), so TLS validation, proxies and pooled
 * connections behave as for forward-request. The whole response is read into memory within the
 * buffering limit: a response kept in a variable is read again and again by expressions.
 */
import type { Dispatcher } from 'undici';
import { BodyTooLargeError, MessageBody } from '../pipeline/message-body.js';
import { OutboundCallError, type GatewayResponse, type OutboundCalls, type OutboundRequest } from '../pipeline/gateway-context.js';
import { headerValuesForWire } from '../pipeline/header-joining.js';
import type { HeaderMap } from '../pipeline/header-map.js';
import { BackendExchange } from './backend-exchange.js';
import { transportSettings, type BackendTransports } from './backend-transports.js';
import { headerValueForWire } from './header-wire-value.js';
import { isHopByHopLowerCase } from './hop-by-hop.js';
import { isBackendTimeout } from './backend-timeout.js';

/** Cancels a call whose time is up. */
class CallTimedOut extends Error {}

export class OutboundCallSender implements OutboundCalls {
  constructor(private readonly transports: BackendTransports) {}

  async send(request: OutboundRequest, maxBodyBytes: number): Promise<GatewayResponse> {
    const url = new URL(request.url);
    const content = await request.body.read(true);
    const headers = wireHeaders(request.headers, content.length > 0 || methodAllowsBody(request.method) ? String(content.length) : undefined);
    const settings = transportSettings(undefined, '1');
    if (request.proxy) settings.proxy = request.proxy;
    if (request.clientCertificate) settings.clientCertificates = [request.clientCertificate];
    const route = this.transports.route(settings, url.origin, url.pathname + url.search, headers);
    const exchange = new BackendExchange(null);
    const timeoutMs = Math.max(1, request.timeoutMs);
    const timer = setTimeout(() => exchange.cancel(new CallTimedOut()), timeoutMs);
    try {
      route.dispatcher.dispatch(
        {
          origin: route.origin,
          path: route.path,
          method: request.method as Dispatcher.HttpMethod,
          headers,
          body: content.length > 0 ? content : null,
          headersTimeout: timeoutMs,
          bodyTimeout: timeoutMs,
        } as Dispatcher.DispatchOptions,
        exchange,
      );
      const answer = await exchange.answered;
      const body = new MessageBody(answer.body);
      try {
        await body.read(true, maxBodyBytes);
      } catch (err) {
        if (!(err instanceof BodyTooLargeError)) throw err;
        exchange.cancel(err);
        throw new OutboundCallError('ResponseBodyTooLarge', `The response of ${url.origin} is larger than the ${maxBodyBytes} bytes a policy may buffer.`);
      }
      return { statusCode: answer.statusCode, statusReason: '', headers: answer.headers, body };
    } catch (err) {
      throw callError(err, url.origin, timeoutMs);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Maps a failed call to Azure's reasons: Timeout, else BackendConnectionFailure. */
function callError(err: unknown, origin: string, timeoutMs: number): OutboundCallError {
  if (err instanceof OutboundCallError) return err;
  if (err instanceof CallTimedOut || isBackendTimeout(err)) {
    return new OutboundCallError('Timeout', `The request to ${origin} timed out after ${timeoutMs / 1000} seconds.`);
  }
  return new OutboundCallError('BackendConnectionFailure', `Error occured while calling ${origin}: ${(err as Error).message ?? String(err)}`);
}

/** The headers as sent: hop-by-hop ones dropped, the length the body really has, APIM's joining of repeated values. */
function wireHeaders(headers: HeaderMap, contentLength: string | undefined): string[] {
  const out: string[] = [];
  for (const [lower, entry] of headers.keyedEntries()) {
    if (isHopByHopLowerCase(lower) || lower === 'content-length') continue;
    for (const value of headerValuesForWire(entry.name, entry.values)) out.push(entry.name, headerValueForWire(value));
  }
  if (contentLength !== undefined) out.push('Content-Length', contentLength);
  return out;
}

function methodAllowsBody(method: string): boolean {
  return method !== 'GET' && method !== 'HEAD';
}
