/**
 * The port through which the access log and the metrics watch gateway requests (issue 4 §5,
 * issue 6). The request handler calls `begin` once per request and fills the returned record as
 * it learns things; the observer reports the request when its response is done or the client
 * went away. Without an observer the handler pays one property check per request.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Api } from '../model/resources.js';
import type { GatewayContext } from '../pipeline/gateway-context.js';

/** What the handler tells the observer about one request while serving it. */
export interface RequestRecord {
  /** The request's context once it matched an operation (api, product, subscription, LastError). */
  gateway: GatewayContext | null;
  /** The API whose key parameter names are secret for this request (also set for a miss narrowed to an API). */
  api: Api | null;
  /** `context.Request.IpAddress` once the handler worked it out (it may come from X-Forwarded-For). */
  clientIp: string | undefined;
  /** LastError's reason when the gateway answered without a context (a 404 for no route). */
  error: string | undefined;
}

/** Watches requests; `begin` is called first thing for every request. */
export interface RequestObserver {
  begin(req: IncomingMessage, res: ServerResponse): RequestRecord;
}

/** One finished (or aborted) request, as every sink receives it. */
export interface CompletedRequest {
  req: IncomingMessage;
  record: RequestRecord;
  /** Epoch milliseconds when the request arrived. */
  startedAt: number;
  durationMs: number;
  /** The status sent, or 0 when the connection closed before the response finished. */
  status: number;
  aborted: boolean;
  /** `public`, `vnet` or `private:<connection>` (arrival-endpoint.ts). */
  endpoint: string;
  /** Bytes written to the connection for this response, status line and headers included. */
  responseBytes: number;
  /** Time waiting for backend response headers, summed over the calls; undefined when never forwarded. */
  backendMs: number | undefined;
  backendStatus: number | undefined;
}

/** Something that consumes completed requests (the access log, the metrics). */
export interface RequestSink {
  record(request: CompletedRequest): void;
}
