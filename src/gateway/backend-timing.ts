/**
 * Times backend calls for the access log and the metrics without touching the forwarder: a
 * wrapper that records, per request context, how long the backend took to answer (until its
 * response headers, summed over retries) and the status it answered with. Installed only when
 * an observer is configured, so a gateway without one pays nothing.
 */
import type { ForwardOptions, Forwarder, GatewayContext } from '../pipeline/gateway-context.js';
import { RequestSlot } from '../pipeline/request-slot.js';

/** What the backend calls of one request took. */
export interface BackendTiming {
  ms: number;
  status: number | undefined;
}

const timingSlot = new RequestSlot<BackendTiming>('backend timing');

/** Wraps `inner` so every call's duration and status is kept for `backendTimingOf`. */
export function timeBackendCalls(inner: Forwarder): Forwarder {
  return {
    async forward(gw: GatewayContext, options: ForwardOptions): Promise<void> {
      const started = performance.now();
      try {
        await inner.forward(gw, options);
      } finally {
        const timing = gw.slot(timingSlot) ?? gw.setSlot(timingSlot, { ms: 0, status: undefined });
        timing.ms += performance.now() - started;
        // The backend's own status, before any outbound policy changes the response.
        if (gw.forwarded) timing.status = gw.response.statusCode;
      }
    },
  };
}

/** The backend timing of a request, or undefined when it was never forwarded through the wrapper. */
export function backendTimingOf(gw: GatewayContext): BackendTiming | undefined {
  return gw.slot(timingSlot);
}
