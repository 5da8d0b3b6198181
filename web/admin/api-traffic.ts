/**
 * The dashboard's figures per API from the gateway's metrics (docs/observability.md):
 * requests, client errors (4xx) and server errors (5xx) from `gatehouse_requests_total`, and
 * latency quantiles from `gatehouse_request_duration_seconds`, added up over operations and
 * arrival endpoints. Two readings give the figures of the time between them.
 */
import { histogramQuantile, type Bucket } from './histogram-quantile.js';
import type { Sample } from './prometheus-text.js';

/** The counters of one API at one reading. */
export interface ApiCounts {
  requests: number;
  clientErrors: number;
  serverErrors: number;
  /** Cumulative duration buckets by their upper bound (seconds). */
  buckets: Map<number, number>;
}

/** What the dashboard shows for one API. */
export interface ApiTraffic {
  /** The API's name; '' for requests that matched no API. */
  api: string;
  requests: number;
  clientErrors: number;
  serverErrors: number;
  /** Median and 95th percentile of the request duration, in seconds (undefined: no requests). */
  p50?: number;
  p95?: number;
}

/** The counters per API in one reading of the metrics. */
export function apiCounts(samples: readonly Sample[]): Map<string, ApiCounts> {
  const byApi = new Map<string, ApiCounts>();
  const of = (api: string) => {
    let counts = byApi.get(api);
    if (!counts) byApi.set(api, (counts = { requests: 0, clientErrors: 0, serverErrors: 0, buckets: new Map() }));
    return counts;
  };
  for (const s of samples) {
    const api = s.labels.api;
    if (api === undefined || !Number.isFinite(s.value)) continue;
    if (s.name === 'gatehouse_requests_total') {
      const counts = of(api);
      counts.requests += s.value;
      const status = Number(s.labels.status);
      if (status >= 400 && status < 500) counts.clientErrors += s.value;
      if (status >= 500 && status < 600) counts.serverErrors += s.value;
    } else if (s.name === 'gatehouse_request_duration_seconds_bucket' && s.labels.le !== undefined) {
      const le = s.labels.le === '+Inf' ? Infinity : Number(s.labels.le);
      if (Number.isNaN(le)) continue;
      const buckets = of(api).buckets;
      buckets.set(le, (buckets.get(le) ?? 0) + s.value);
    }
  }
  return byApi;
}

/**
 * The figures of each API between two readings (`earlier` undefined: since the gateway started),
 * busiest first, leaving out APIs without requests in that time. A counter that went down (the
 * gateway restarted) counts from zero.
 */
export function trafficBetween(earlier: Map<string, ApiCounts> | undefined, later: Map<string, ApiCounts>): ApiTraffic[] {
  const rows: ApiTraffic[] = [];
  for (const [api, now] of later) {
    const before = earlier?.get(api);
    const restarted = before !== undefined && now.requests < before.requests;
    const base = restarted ? undefined : before;
    const minus = (a: number, b: number | undefined) => Math.max(0, a - (b ?? 0));
    const buckets: Bucket[] = [...now.buckets].map(([le, count]) => ({ le, count: minus(count, base?.buckets.get(le)) }));
    const row: ApiTraffic = {
      api,
      requests: minus(now.requests, base?.requests),
      clientErrors: minus(now.clientErrors, base?.clientErrors),
      serverErrors: minus(now.serverErrors, base?.serverErrors),
    };
    const p50 = histogramQuantile(0.5, buckets);
    const p95 = histogramQuantile(0.95, buckets);
    if (p50 !== undefined) row.p50 = p50;
    if (p95 !== undefined) row.p95 = p95;
    // An API with no requests in the time asked about has nothing to show.
    if (row.requests > 0) rows.push(row);
  }
  return rows.sort((a, b) => b.requests - a.requests || a.api.localeCompare(b.api));
}
