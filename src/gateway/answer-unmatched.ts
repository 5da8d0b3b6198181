/**
 * Answers a request that matched no API or operation: 404 `Resource not found`, after running
 * the on-error sections in reach (global, and the API's when one was selected) with
 * `context.LastError` = configuration / OperationNotFound (reference §1.5), so policies such as
 * "return 405 for undefined methods" work as on Azure.
 */
import type { ServerResponse } from 'node:http';
import { gatewayErrors } from '../core/gateway-errors.js';
import type { Api } from '../model/resources.js';
import { GatewayContext, PolicyRuntimeError, type GatewayRequest, type GatewayServices } from '../pipeline/gateway-context.js';
import { handleFailure } from '../pipeline/run-pipeline.js';
import { writeGatewayError, writeGatewayResponse } from './response-writer.js';
import type { GatewaySnapshot } from './snapshot/gateway-snapshot.js';
import { unmatchedApi, unmatchedOperation } from './unmatched-route.js';

/** True when some on-error section would run for a miss (else the 404 is written directly). */
export function missHasOnError(snapshot: GatewaySnapshot, api: Api | undefined): boolean {
  return snapshot.errorPipelineFor(api ?? null).onError.length > 0;
}

/** Writes the 404 directly. */
export function writeNotFound(res: ServerResponse): void {
  const e = gatewayErrors.OperationNotFound;
  writeGatewayError(res, e.status, e.message);
}

/** Runs the miss through on-error and writes whatever it answers. */
export async function answerUnmatched(
  snapshot: GatewaySnapshot,
  services: GatewayServices,
  request: GatewayRequest,
  api: Api | undefined,
  res: ServerResponse,
): Promise<void> {
  const gw = new GatewayContext(
    request,
    {
      api: unmatchedApi(api),
      apiId: api?.name ?? '',
      operation: unmatchedOperation(request.method),
      product: null,
      subscription: null,
      user: null,
      backendBase: null,
      unmatched: api ? 'operation' : 'api',
    },
    services,
    snapshot.catalog,
  );
  const e = gatewayErrors.OperationNotFound;
  await handleFailure(snapshot.errorPipelineFor(api ?? null), gw, new PolicyRuntimeError(e.source, e.reason, e.lastErrorMessage, e.status, e.message));
  await writeGatewayResponse(gw, res, request.method === 'HEAD');
}
