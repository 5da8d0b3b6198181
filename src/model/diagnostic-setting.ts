/**
 * A diagnostic as the gateway acts on it (Azure's Diagnostic contract, read from the store): which
 * logger gets a record of each request, how many requests are sampled and what the record holds.
 * docs/loggers-and-diagnostics.md lists what each Azure property turns into.
 */

/** How a header or query parameter is masked in a record: `Mask` writes `***`, `Hide` leaves it out. */
export type MaskMode = 'Mask' | 'Hide';

export interface DiagnosticSetting {
  /** `applicationinsights`, `azuremonitor` or `local`. */
  name: string;
  /** The API (without `;rev=`) whose diagnostic this is; absent for the service's. */
  api?: string;
  /** The logger's name and type; `eventHub` is an event hub logger's `credentials.name`. */
  logger: { name: string; type: string; eventHub?: string };
  /** Fixed-rate sampling, 0–100. */
  samplingPercentage: number;
  /** `alwaysLog: allErrors`: a failed request is recorded whatever the sampling. */
  alwaysLogErrors: boolean;
  logClientIp: boolean;
  /** Which header carries the caller's correlation id: `traceparent` (W3C), `Request-Id` (Legacy) or none. */
  correlation: 'None' | 'Legacy' | 'W3C';
  /** `Name`: the operation's API and name; `Url`: its method and URL template. */
  operationNameFormat: 'Name' | 'Url';
  requestHeaders: string[];
  responseHeaders: string[];
  /** Lower-cased header names and query parameter names → how they are masked. */
  headerMasks: Record<string, MaskMode>;
  queryMasks: Record<string, MaskMode>;
  /** The lowest `trace` severity written (`verbosity`). */
  verbosity: 'verbose' | 'information' | 'error';
  /** `metrics: true`: the `emit-metric` policy's metrics are emitted for the requests it applies to. */
  metrics: boolean;
}
