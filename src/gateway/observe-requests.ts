/**
 * The RequestObserver the gateway runs with when the access log or the metrics are on: stamps
 * each request's start and endpoint, waits for the response's `close` (which follows `finish`,
 * or comes alone when the client went away) and hands the completed request to every sink.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { arrivalEndpointLabel, arrivalEndpointOf } from './arrival-endpoint.js';
import { backendTimingOf } from './backend-timing.js';
import type { CompletedRequest, RequestObserver, RequestRecord, RequestSink } from './request-observer.js';

/** An observer reporting every request to `sinks`; a sink that throws does not stop the others. */
export function observeRequests(sinks: readonly RequestSink[], onSinkError: (err: unknown) => void): RequestObserver {
  return {
    begin(req: IncomingMessage, res: ServerResponse): RequestRecord {
      const record: RequestRecord = { gateway: null, api: null, clientIp: undefined, error: undefined };
      const startedAt = Date.now();
      const started = performance.now();
      const socket = req.socket;
      const endpoint = arrivalEndpointLabel(arrivalEndpointOf(socket));
      const bytesBefore = socket.bytesWritten;
      // `on`, not `once`: a response closes once, and `once` would wrap the listener per request.
      res.on('close', () => {
        const aborted = !res.writableFinished;
        const timing = record.gateway ? backendTimingOf(record.gateway) : undefined;
        const completed: CompletedRequest = {
          req,
          record,
          startedAt,
          durationMs: performance.now() - started,
          status: aborted ? 0 : res.statusCode,
          aborted,
          endpoint,
          responseBytes: Math.max(0, socket.bytesWritten - bytesBefore),
          backendMs: timing?.ms,
          backendStatus: timing?.status,
        };
        for (const sink of sinks) {
          try {
            sink.record(completed);
          } catch (err) {
            onSinkError(err);
          }
        }
      });
      return record;
    },
  };
}
