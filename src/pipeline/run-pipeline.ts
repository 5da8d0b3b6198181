/**
 * Runs a request through its pipeline: inbound → backend → outbound; on a failure, records
 * `context.LastError`, prepares Azure's error response and runs on-error (reference §2.3).
 */
import { gatewayErrorBody } from '../core/gateway-errors.js';
import { HeaderMap } from './header-map.js';
import { PolicyRuntimeError, type GatewayContext } from './gateway-context.js';
import { MessageBody } from './message-body.js';
import type { Pipeline } from './merge-scopes.js';

/** Runs the pipeline; never throws. */
export async function runPipeline(pipeline: Pipeline, gw: GatewayContext): Promise<void> {
  try {
    gw.section = 'inbound';
    await pipeline.inbound.run(gw);
    if (!gw.responded) {
      gw.section = 'backend';
      await pipeline.backend.run(gw);
    }
    if (!gw.responded) {
      gw.section = 'outbound';
      await pipeline.outbound.run(gw);
    }
  } catch (err) {
    await handleFailure(pipeline, gw, err);
  }
  for (const task of gw.afterPipeline) {
    try {
      await task(gw);
    } catch (err) {
      gw.services.logger.warn({ err, requestId: gw.requestId }, 'post-pipeline task failed');
    }
  }
}

async function handleFailure(pipeline: Pipeline, gw: GatewayContext, err: unknown): Promise<void> {
  const failure =
    err instanceof PolicyRuntimeError ? err : new PolicyRuntimeError('multiple', 'InternalError', (err as Error)?.message ?? String(err));
  recordLastError(gw, failure);
  setErrorResponse(gw, failure);
  gw.responded = false;
  gw.section = 'on-error';
  try {
    await pipeline.onError.run(gw);
  } catch (second) {
    // A failure inside on-error ends processing with that failure's response.
    const failure2 =
      second instanceof PolicyRuntimeError ? second : new PolicyRuntimeError('multiple', 'InternalError', String(second));
    recordLastError(gw, failure2);
    setErrorResponse(gw, failure2);
  }
  gw.responded = true;
}

function recordLastError(gw: GatewayContext, failure: PolicyRuntimeError): void {
  gw.lastError = {
    source: failure.source,
    reason: failure.reason,
    message: failure.message,
    scope: failure.location?.scope,
    section: failure.location?.section ?? gw.section,
    path: failure.location?.path,
    policyId: failure.location?.policyId,
  };
}

/** Replaces the response with the gateway's error answer for a failure. */
export function setErrorResponse(gw: GatewayContext, failure: PolicyRuntimeError): void {
  gw.response.body.discard();
  const headers = new HeaderMap();
  headers.set('Content-Type', 'application/json; charset=utf-8');
  for (const [name, value] of Object.entries(failure.headers)) headers.set(name, value);
  const activityId = failure.status >= 500 ? gw.requestId : undefined;
  gw.response = {
    statusCode: failure.status,
    statusReason: '',
    headers,
    body: new MessageBody(gatewayErrorBody(failure.status, failure.clientMessage, activityId)),
  };
}
