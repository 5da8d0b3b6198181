/**
 * Traces of requests made with a debug token (Azure's request tracing), in the shape Azure's
 * `listTrace` answers: `{ traceId, traceEntries: { inbound, backend, outbound, on-error } }`,
 * each entry `{ source, timestamp, elapsed, data }`. The gateway hands each finished trace to a
 * TraceSink; the management plane reads them back through TraceLookup.
 */

/** One step of a trace. */
export interface TraceEntry {
  source: string;
  /** ISO 8601, UTC. */
  timestamp: string;
  /** Time since the request arrived, .NET TimeSpan form: `00:00:00.0725926`. */
  elapsed: string;
  data: unknown;
}

export type TraceSectionName = 'inbound' | 'backend' | 'outbound' | 'on-error';

/** A whole trace, as listTrace answers it (less `serviceName`, which the management plane adds). */
export interface TraceDocument {
  traceId: string;
  /** The gateway that served the request (`managed` for the built-in one). */
  gatewayId: string;
  traceEntries: Partial<Record<TraceSectionName, TraceEntry[]>>;
}

/** Where the gateway puts finished traces. */
export interface TraceSink {
  keep(trace: TraceDocument): void;
}

/** Where the management plane finds them. */
export interface TraceLookup {
  /** The trace with `traceId` served by `gatewayId`, waiting up to `waitMs` for one still on its way. */
  find(gatewayId: string, traceId: string, waitMs: number): Promise<TraceDocument | undefined>;
}
