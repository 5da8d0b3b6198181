/**
 * Writes the pipeline's final response to the client: status, headers (joined or repeated the
 * way APIM emits them), and the body streamed from the backend or sent from memory.
 */
import type { ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import type { GatewayContext } from '../pipeline/gateway-context.js';
import { headerValuesForWire } from '../pipeline/header-joining.js';
import { gatewayErrorBody } from '../core/gateway-errors.js';

/** Sends `gw.response`; resolves when the body is written (or the client went away). */
export async function writeGatewayResponse(gw: GatewayContext, res: ServerResponse, isHead: boolean): Promise<void> {
  for (const hook of gw.beforeRespond) hook(gw);
  const response = gw.response;
  const payload = isHead ? null : response.body.payload();
  const known = response.body.knownLength;
  for (const [name, values] of response.headers) {
    const lower = name.toLowerCase();
    if (lower === 'content-length' && known !== undefined) continue;
    res.setHeader(name, headerValuesForWire(name, values));
  }
  if (known !== undefined && !isHead) res.setHeader('Content-Length', String(known));
  res.statusCode = response.statusCode;
  if (response.statusReason) res.statusMessage = response.statusReason;
  if (payload === null) {
    if (isHead) response.body.discard();
    res.end();
    return;
  }
  if (Buffer.isBuffer(payload)) {
    res.end(payload);
    return;
  }
  try {
    await pipeline(payload, res);
  } catch {
    res.destroy();
  }
}

/** Answers with a gateway-generated error body (404, 401 …) without running a pipeline. */
export function writeGatewayError(res: ServerResponse, status: number, message: string, extraHeaders: Record<string, string> = {}, activityId?: string): void {
  const body = gatewayErrorBody(status, message, activityId);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(body)),
    ...extraHeaders,
  });
  res.end(body);
}
