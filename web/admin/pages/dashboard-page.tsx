/**
 * The dashboard, the console's first page: requests, errors (4xx, 5xx) and latency (p50, p95
 * estimated from the duration histogram) per API, since the gateway started and over the recent
 * window, from the gateway's metrics (`GET /metrics`, read again every 10 seconds).
 */
import { useMemo } from 'preact/hooks';
import { apiCounts, trafficBetween } from '../api-traffic.js';
import { MetricsOffNotice } from '../metrics-off-notice.js';
import { PageHeading } from '../page-heading.js';
import { ProblemMessage } from '../problem-message.js';
import { recentWindowMs, rememberReading } from '../traffic-history.js';
import { TrafficTable } from '../traffic-table.js';
import { useGatewayMetrics } from '../use-gateway-metrics.js';

export function DashboardPage() {
  const metrics = useGatewayMetrics(10_000);
  const reading = metrics.value;
  const figures = useMemo(() => {
    if (!reading || reading.off) return undefined;
    const counts = apiCounts(reading.samples);
    const start = rememberReading({ at: reading.at.getTime(), counts });
    return {
      at: reading.at,
      lifetime: trafficBetween(undefined, counts),
      recent: start ? { since: new Date(start.at), rows: trafficBetween(start.counts, counts) } : undefined,
    };
  }, [reading]);

  return (
    <main id="main">
      <PageHeading title="Dashboard" />
      {metrics.loading && !reading ? <p role="status">Reading the gateway's metrics…</p> : null}
      <ProblemMessage error={metrics.error} />
      {reading?.off ? <MetricsOffNotice what="the dashboard" /> : null}
      {figures ? (
        <>
          <p class="secondary">
            Read at {figures.at.toLocaleTimeString()}; read again every 10 seconds.{' '}
            <button type="button" class="secondary-button" onClick={metrics.reload}>
              Refresh
            </button>
          </p>
          <section aria-labelledby="recent-title">
            <h2 id="recent-title">Recent</h2>
            {figures.recent ? (
              <TrafficTable id="recent-traffic" caption={`Since ${figures.recent.since.toLocaleTimeString()} (at most the last ${recentWindowMs / 60_000} minutes)`} rows={figures.recent.rows} />
            ) : (
              <p>The recent figures start with the next reading.</p>
            )}
          </section>
          <section aria-labelledby="lifetime-title">
            <h2 id="lifetime-title">Since the gateway started</h2>
            <TrafficTable id="lifetime-traffic" caption="Every request the gateway served since it started" rows={figures.lifetime} />
          </section>
          <p class="secondary">
            Latencies are estimated from the duration histogram's buckets (1 ms to 30 s), as Prometheus's histogram_quantile does. With several
            gateway processes (<code>--workers</code>), the figures are their sum.
          </p>
        </>
      ) : null}
    </main>
  );
}
