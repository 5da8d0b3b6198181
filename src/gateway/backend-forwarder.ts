/**
 * Sends requests to backends with undici: one keep-alive pool per backend origin (undici's
 * Agent keeps a Pool per origin), bodies streamed both ways, hop-by-hop headers removed,
 * `X-Forwarded-For` added, failures mapped to Azure's errors (reference §1.5, §1.7).
 */
import { Agent, errors as undiciErrors, type Dispatcher } from 'undici';
import { Readable } from 'node:stream';
import { HeaderMap } from '../pipeline/header-map.js';
import { wireHeaderList } from '../pipeline/header-joining.js';
import { MessageBody } from '../pipeline/message-body.js';
import { PolicyRuntimeError, type ForwardOptions, type Forwarder, type GatewayContext } from '../pipeline/gateway-context.js';
import { stripHopByHop } from './hop-by-hop.js';

export interface BackendForwarderOptions {
  /** Keep-alive connections per origin. */
  connectionsPerOrigin?: number;
}

export class BackendForwarder implements Forwarder {
  private readonly agent: Agent;
  private readonly redirectingAgents = new Map<number, Dispatcher>();

  constructor(options: BackendForwarderOptions = {}) {
    this.agent = new Agent({
      connections: options.connectionsPerOrigin ?? 128,
      keepAliveTimeout: 30_000,
      pipelining: 1,
    });
  }

  async forward(gw: GatewayContext, options: ForwardOptions): Promise<void> {
    const url = gw.request.url;
    const headers = gw.request.headers.clone();
    stripHopByHop(headers);
    // The backend sees its own host unless a policy set Host explicitly.
    const host = headers.get('host');
    if (host === undefined || host === gw.clientHostHeader) headers.delete('host');
    const forwardedFor = headers.get('x-forwarded-for');
    headers.set('X-Forwarded-For', forwardedFor ? `${forwardedFor}, ${gw.request.ipAddress}` : gw.request.ipAddress);

    let body: Readable | Buffer | null = null;
    if (options.bufferRequestBody) {
      const content = await gw.request.body.read(true);
      body = content.length > 0 ? content : null;
    } else {
      body = gw.request.body.payload();
    }
    if (Buffer.isBuffer(body)) headers.set('Content-Length', String(body.length));
    else if (body === null && methodAllowsBody(gw.request.method) && headers.has('content-length')) headers.set('Content-Length', '0');

    const timeoutMs = Math.max(1, options.timeoutSeconds * 1000);
    let response: Dispatcher.ResponseData;
    try {
      response = await this.agent.request({
        origin: url.origin,
        path: url.pathAndQuery,
        method: gw.request.method as Dispatcher.HttpMethod,
        headers: wireHeaderList(headers),
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
    const responseHeaders = HeaderMap.fromObject(response.headers);
    stripHopByHop(responseHeaders);
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
    for (const agent of this.redirectingAgents.values()) await agent.close();
  }
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
