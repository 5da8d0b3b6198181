/**
 * The gateway's metrics for a page that shows them, read again every `everyMs` while the page is
 * open (and on `reload()`).
 */
import { useEffect } from 'preact/hooks';
import { readGatewayMetrics, type GatewayMetricsReading } from './gateway-metrics.js';
import { useLoaded, type Loaded } from './use-loaded.js';

export function useGatewayMetrics(everyMs: number): Loaded<GatewayMetricsReading> {
  const metrics = useLoaded(readGatewayMetrics, []);
  useEffect(() => {
    const timer = setInterval(metrics.reload, everyMs);
    return () => clearInterval(timer);
  }, [everyMs, metrics.reload]);
  return metrics;
}
