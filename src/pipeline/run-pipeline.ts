/**
 * Runs a request through its pipeline: inbound → backend → outbound; on a failure, records
 * `context.LastError`, prepares Azure's error response and runs on-error (reference §2.3).
 */
import { gatewayErrorBody, gatewayErrors } from '../core/gateway-errors.js';
import { HeaderMap } from './header-map.js';
import { PolicyRuntimeError, type GatewayContext } from './gateway-context.js';
import { MessageBody } from './message-body.js';
import type { Pipeline } from './merge-scopes.js';

/** Runs the pipeline; never throws. */
export async function runPipeline(pipeline: Pipeline, gw: GatewayContext): Promise<void> {
  try {
    gw.section = 'inbound';
    if (isCorsPreflight(gw)) await runPreflight(pipeline, gw);
    // A section returns a promise only when one of its steps waits (policy-sequence.ts).
    if (!gw.responded) {
      const waiting = pipeline.inbound.run(gw);
      if (waiting) await waiting;
    }
    if (!gw.responded) {
      gw.section = 'backend';
      const waiting = pipeline.backend.run(gw);
      if (waiting) await waiting;
    }
    if (!gw.responded) {
      gw.section = 'outbound';
      for (const task of gw.beforeOutbound) await task(gw);
      const waiting = pipeline.outbound.run(gw);
      if (waiting) await waiting;
    }
  } catch (err) {
    await handleFailure(pipeline, gw, err);
  }
  if (gw.afterPipeline.length === 0) return;
  for (const task of gw.afterPipeline) {
    try {
      await task(gw);
    } catch (err) {
      gw.services.logger.warn({ err, requestId: gw.requestId }, 'post-pipeline task failed');
    }
  }
}

/**
 * A CORS preflight: OPTIONS with `Origin` and `Access-Control-Request-Method`, unless the request
 * matched an explicit OPTIONS operation, which bypasses preflight handling (reference §3 cors).
 */
export function isCorsPreflight(gw: GatewayContext): boolean {
  return (
    gw.request.method.toUpperCase() === 'OPTIONS' &&
    gw.request.headers.has('Origin') &&
    gw.request.headers.has('Access-Control-Request-Method') &&
    gw.operation.method.toUpperCase() !== 'OPTIONS'
  );
}

/**
 * "Only the cors policy is evaluated on the OPTIONS request during preflight": the direct-child
 * cors policies of inbound run alone, in order; when none answers, an empty 200 ends it.
 */
async function runPreflight(pipeline: Pipeline, gw: GatewayContext): Promise<void> {
  await answerPreflight(pipeline, gw);
}

/**
 * Lets the direct inbound cors policies mark a response the gateway refuses before inbound
 * runs (a missing or invalid key), so browsers can read the error. Their own answers are
 * dropped: the refusal stands.
 */
export async function applyCorsToRefusal(pipeline: Pipeline, gw: GatewayContext): Promise<void> {
  const cors = pipeline.inbound.only('cors');
  if (cors.length === 0) return;
  try {
    await cors.run(gw);
  } catch {
    // A failing cors policy adds nothing; the refusal is answered as it is.
  }
  gw.responded = false;
}

/**
 * Answers a preflight with the pipeline's cors policies alone; false when there are none.
 * Preflights carry no subscription key, so the gateway calls this before rejecting one for that.
 */
export async function answerPreflight(pipeline: Pipeline, gw: GatewayContext): Promise<boolean> {
  const cors = pipeline.inbound.only('cors');
  if (cors.length === 0) return false;
  gw.section = 'inbound';
  try {
    await cors.run(gw);
  } catch (err) {
    await handleFailure(pipeline, gw, err);
  }
  gw.responded = true;
  return true;
}

/** Records a failure in `context.LastError`, prepares the error response and runs on-error. */
export async function handleFailure(pipeline: Pipeline, gw: GatewayContext, err: unknown): Promise<void> {
  const failure = err instanceof PolicyRuntimeError ? err : unexpectedFailure(err);
  recordLastError(gw, failure);
  setErrorResponse(gw, failure);
  gw.responded = false;
  gw.section = 'on-error';
  if (gw.requestTrace) gw.traceStep(failure.source, { message: 'An error occurred; the on-error section runs.', lastError: { ...gw.lastError } });
  try {
    await pipeline.onError.run(gw);
  } catch (second) {
    // A failure inside on-error ends processing with that failure's response.
    const failure2 = second instanceof PolicyRuntimeError ? second : unexpectedFailure(second);
    recordLastError(gw, failure2);
    setErrorResponse(gw, failure2);
  }
  gw.responded = true;
}

/** A failure outside any policy, under the registry's InternalServerError code (docs/errors.md). */
function unexpectedFailure(err: unknown): PolicyRuntimeError {
  const internal = gatewayErrors.InternalServerError;
  return new PolicyRuntimeError(internal.source, internal.reason, (err as Error)?.message ?? String(err));
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
