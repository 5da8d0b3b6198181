/**
 * Sends requests to backends with undici: one keep-alive pool per backend origin (undici's
 * Agent keeps a Pool per origin), bodies streamed both ways, hop-by-hop headers removed,
 * `X-Forwarded-For` added, failures mapped to Azure's errors (reference §1.5, §1.7).
 */
import { Agent, errors as undiciErrors, type Dispatcher } from 'undici';
import { Readable } from 'node:stream';
import { HeaderMap } from '../pipeline/header-map.js';
import { headerValuesForWire } from '../pipeline/header-joining.js';
import { MessageBody } from '../pipeline/message-body.js';
import { PolicyRuntimeError, type ForwardOptions, type Forwarder, type GatewayContext } from '../pipeline/gateway-context.js';
import { isHopByHop } from './hop-by-hop.js';

export interface BackendForwarderOptions {
  /** Keep-alive connections per origin. */
  connectionsPerOrigin?: number;
}

export class BackendForwarder implements Forwarder {
  private readonly agent: Agent;

  constructor(options: BackendForwarderOptions = {}) {
    this.agent = new Agent({
      connections: options.connectionsPerOrigin ?? 128,
      keepAliveTimeout: 30_000,
      pipelining: 1,
    });
  }

  async forward(gw: GatewayContext, options: ForwardOptions): Promise<void> {
    const url = gw.request.url;
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

    const timeoutMs = Math.max(1, options.timeoutSeconds * 1000);
    let response: Dispatcher.ResponseData;
    try {
      response = await this.agent.request({
        origin: url.origin,
        path: url.pathAndQuery,
        method: gw.request.method as Dispatcher.HttpMethod,
        headers,
        body,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        maxRedirections: options.followRedirects ? 10 : 0,
      } as Dispatcher.RequestOptions);
    } catch (err) {
      throw mapForwardError(err);
    }
    gw.forwarded = true;
    // A 204 or 304 ends after its headers whatever Content-Length says (RFC 9112 §6.3; a 304 may
    // carry the representation's length), but undici waits for the announced bytes, so the caller
    // would hang until the body timeout. Destroying the body is a no-op once undici has completed
    // the response, and drops the connection when it is still waiting.
    const bodiless = response.statusCode === 204 || response.statusCode === 304;
    if (bodiless) response.body.on('error', () => {}).destroy();
    const responseHeaders = forwardedResponseHeaders(response.headers);
    gw.response = {
      statusCode: response.statusCode,
      statusReason: '',
      headers: responseHeaders,
      body: new MessageBody(bodiless ? Readable.from([]) : response.body),
    };
    if (options.failOnErrorStatusCode && response.statusCode >= 400) {
      throw new PolicyRuntimeError(
        'forward-request',
        'BackendErrorStatusCode',
        `Backend service responded with status code ${response.statusCode}.`,
        response.statusCode,
        `Backend service responded with status code ${response.statusCode}.`,
      );
    }
  }

  /** Closes every pooled connection. */
  async close(): Promise<void> {
    await this.agent.close();
  }
}

/**
 * The request headers as sent to the backend, in one pass over the policies' view without
 * copying it: hop-by-hop headers (and those `Connection` lists) dropped, the client's own Host
 * dropped so the backend sees its own, `X-Forwarded-For` extended, `Content-Length` fixed for a
 * buffered or absent body (only when the client sent one, for the latter), and APIM's joining of
 * repeated values applied. Order is kept; a header that is set in place keeps its position.
 */
function backendHeaderList(headers: HeaderMap, clientHost: string | undefined, clientIp: string, contentLength: string | undefined): string[] {
  const out: string[] = [];
  const listed = headers.get('connection');
  const connectionListed = listed ? new Set(listed.split(',').map((name) => name.trim().toLowerCase())) : undefined;
  let forwardedFor = false;
  let lengthWritten = false;
  for (const [lower, entry] of headers.keyedEntries()) {
    if (isHopByHop(lower) || connectionListed?.has(lower)) continue;
    const values = entry.values;
    if (lower === 'host') {
      // The backend sees its own host unless a policy set Host explicitly.
      if (values.join(',') === clientHost) continue;
    } else if (lower === 'x-forwarded-for') {
      const previous = values.join(',');
      out.push('X-Forwarded-For', previous ? `${previous}, ${clientIp}` : clientIp);
      forwardedFor = true;
      continue;
    } else if (lower === 'content-length' && contentLength !== undefined) {
      out.push('Content-Length', contentLength);
      lengthWritten = true;
      continue;
    }
    if (values.length === 1) out.push(entry.name, values[0]!);
    else for (const value of headerValuesForWire(entry.name, values)) out.push(entry.name, value);
  }
  if (!forwardedFor) out.push('X-Forwarded-For', clientIp);
  // A buffered body always announces its length; an absent one only replaces a length the client sent.
  if (!lengthWritten && contentLength !== undefined && contentLength !== '0') out.push('Content-Length', contentLength);
  return out;
}

/**
 * The backend's response headers as policies see them, built in one pass: hop-by-hop headers and
 * those its `Connection` header lists are left out (undici gives lower-cased names).
 */
function forwardedResponseHeaders(received: Record<string, string | string[] | undefined>): HeaderMap {
  const headers = new HeaderMap();
  const connection = received.connection;
  const listed = connection === undefined ? undefined : new Set((Array.isArray(connection) ? connection.join(',') : connection).split(',').map((n) => n.trim().toLowerCase()));
  for (const name in received) {
    const value = received[name];
    if (value === undefined || isHopByHop(name) || listed?.has(name.toLowerCase())) continue;
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else headers.append(name, value);
  }
  return headers;
}

function methodAllowsBody(method: string): boolean {
  return method !== 'GET' && method !== 'HEAD';
}

function mapForwardError(err: unknown): PolicyRuntimeError {
  const code = (err as { code?: string }).code ?? '';
  const message = (err as Error).message ?? String(err);
  if (
    err instanceof undiciErrors.HeadersTimeoutError ||
    err instanceof undiciErrors.BodyTimeoutError ||
    err instanceof undiciErrors.ConnectTimeoutError ||
    code === 'UND_ERR_HEADERS_TIMEOUT' ||
    code === 'UND_ERR_CONNECT_TIMEOUT'
  ) {
    return new PolicyRuntimeError('forward-request', 'Timeout', 'Request to the backend service timed out.', 500);
  }
  return new PolicyRuntimeError(
    'forward-request',
    'BackendConnectionFailure',
    `Error occured while calling backend service: ${message}`,
    500,
  );
}
