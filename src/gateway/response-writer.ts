/**
 * Writes the pipeline's final response to the client: status, headers (joined or repeated the
 * way APIM emits them), and the body sent from memory, written straight to the client as it
 * arrives from the backend (message-body.ts ClientDelivery), or streamed.
 */
import { STATUS_CODES, type ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import type { GatewayContext } from '../pipeline/gateway-context.js';
import { isDelivery } from '../pipeline/message-body.js';
import { headerValuesForWire } from '../pipeline/header-joining.js';
import { gatewayErrorBody } from '../core/gateway-errors.js';
import { headerValueForWire } from './header-wire-value.js';

/**
 * Sends `gw.response`. A body sent from memory is written before this returns, and nothing is
 * returned: the usual small answer costs no promise. Otherwise the promise resolves when the body
 * is written (or the client went away).
 */
export function writeGatewayResponse(gw: GatewayContext, res: ServerResponse, isHead: boolean): void | Promise<void> {
  for (const hook of gw.beforeRespond) hook(gw);
  const response = gw.response;
  const payload = isHead ? null : response.body.clientPayload();
  const known = response.body.knownLength;
  // One flat list handed to writeHead: Node validates and serialises it without the per-header
  // bookkeeping setHeader does (nothing reads these headers back from `res`).
  const lines: string[] = [];
  for (const [lower, entry] of response.headers.keyedEntries()) {
    // A HEAD answer's Content-Length tells the length of the body a GET would get: it stays.
    if (lower === 'content-length' && known !== undefined && !isHead) continue;
    const values = entry.values;
    if (values.length === 1) lines.push(entry.name, headerValueForWire(values[0]!));
    else for (const value of headerValuesForWire(entry.name, values)) lines.push(entry.name, headerValueForWire(value));
  }
  if (known !== undefined && !isHead) lines.push('Content-Length', String(known));
  if (response.statusReason) res.statusMessage = response.statusReason;
  res.writeHead(response.statusCode, lines);
  if (payload === null) {
    if (isHead) response.body.discard();
    res.end();
    return;
  }
  if (Buffer.isBuffer(payload)) {
    res.end(payload);
    return;
  }
  if (isDelivery(payload)) return payload.deliverTo(res);
  return streamBody(payload, res);
}

function ignoreError(): void {
  // A body that failed after the response was settled has nothing left to tell anyone.
}

/**
 * Pipes the body to the client; resolves when the response finished or either side failed, and
 * then tears both down. Does what stream.pipeline does for two streams without its per-call
 * AbortController (whose abort builds a DOMException with a stack on every request).
 */
function streamBody(body: Readable, res: ServerResponse): Promise<void> {
  if (res.destroyed) {
    // The client is gone, and a destroyed response emits no more events: piping would wait forever.
    body.on('error', ignoreError);
    body.destroy();
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    let settled = false;
    const settle = (failed: boolean): void => {
      if (settled) return;
      settled = true;
      res.off('finish', onFinish);
      res.off('close', onClose);
      body.off('error', onError);
      body.on('error', ignoreError);
      if (failed) {
        body.unpipe(res);
        body.destroy();
        res.destroy();
      }
      resolve();
    };
    const onFinish = (): void => settle(false);
    const onClose = (): void => settle(!res.writableFinished);
    const onError = (): void => settle(true);
    res.once('finish', onFinish);
    res.once('close', onClose);
    body.once('error', onError);
    body.pipe(res);
  });
}

/** Answers with a gateway-generated error body (404, 401 …) without running a pipeline. */
export function writeGatewayError(res: ServerResponse, status: number, message: string, extraHeaders: Record<string, string> = {}, activityId?: string): void {
  const body = gatewayErrorBody(status, message, activityId);
  // The reason phrase is given: a head that failed before (a header Node refused) may have left
  // another status's phrase in res.statusMessage, which Node would otherwise reuse (`500 OK`).
  res.writeHead(status, STATUS_CODES[status] ?? 'Unknown', {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(body)),
    ...extraHeaders,
  });
  res.end(body);
}
