/**
 * Backend timings for the access log and the metrics: per request context, how long the backend
 * took to answer (until its response headers, summed over retries) and the status it answered
 * with. The forwarders record their calls here themselves, and only when an observer is
 * configured (their `timeCalls` option), so a gateway without one pays nothing and a call pays
 * no wrapper of its own.
 */
import type { GatewayContext } from '../pipeline/gateway-context.js';
import { RequestSlot } from '../pipeline/request-slot.js';

/** What the backend calls of one request took. */
export interface BackendTiming {
  ms: number;
  status: number | undefined;
}

const timingSlot = new RequestSlot<BackendTiming>('backend timing');

/**
 * Adds one backend call, begun at `started` (performance.now()), to the request's timing; called
 * when the call ended, whichever way (answered, failed, or answered with a status it refused).
 */
export function recordBackendCall(gw: GatewayContext, started: number): void {
  const timing = gw.slot(timingSlot) ?? gw.setSlot(timingSlot, { ms: 0, status: undefined });
  timing.ms += performance.now() - started;
  // The backend's own status, before any outbound policy changes the response.
  if (gw.forwarded) timing.status = gw.response.statusCode;
}

/** The backend timing of a request, or undefined when no timed call was made for it. */
export function backendTimingOf(gw: GatewayContext): BackendTiming | undefined {
  return gw.slot(timingSlot);
}
