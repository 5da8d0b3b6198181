/**
 * Reads the gateway's metrics from the management listener's `GET /metrics` with the console's
 * session (docs/observability.md). With `--metrics off` the server answers 404: the pages say
 * how to turn them on instead of showing an error.
 */
import { readAnswer } from './management-client.js';
import { parsePrometheusText, type Sample } from './prometheus-text.js';

export type GatewayMetricsReading = { off: true } | { off: false; samples: Sample[]; at: Date };

/** One reading of `/metrics`; a refusal other than "metrics are off" throws ManagementError. */
export async function readGatewayMetrics(): Promise<GatewayMetricsReading> {
  const response = await fetch('/metrics', { credentials: 'same-origin', headers: { accept: 'text/plain' } });
  if (response.ok) return { off: false, samples: parsePrometheusText(await response.text()), at: new Date() };
  if (response.status === 404) {
    await response.arrayBuffer();
    return { off: true };
  }
  return readAnswer<never>(response);
}
