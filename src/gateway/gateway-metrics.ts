/**
 * The gateway's Prometheus metrics (issue 4 §5, issue 6) on a registry of our own (never
 * prom-client's global one): requests by API, operation, status and arrival endpoint, request
 * and backend durations, the served snapshot's version, and prom-client's process metrics.
 * Unmatched requests count under api="" operation="". List in docs/observability.md.
 */
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { FixedBucketHistogram, type HistogramSeries } from './fixed-bucket-histogram.js';
import type { CompletedRequest, RequestSink } from './request-observer.js';
import type { SnapshotHolder } from './snapshot/snapshot-holder.js';

/** 1 ms to 30 s, roughly three steps per decade. */
export const durationBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

type RequestLabels = 'api' | 'operation' | 'status' | 'endpoint';

/** The metrics one process keeps; `sink` feeds them from the request observer. */
export class GatewayMetrics implements RequestSink {
  readonly registry = new Registry();
  private readonly requests: Counter<RequestLabels>;
  // Durations are observed on every request: our own histogram, printed as prom-client's would be.
  private readonly duration: FixedBucketHistogram<'api' | 'endpoint'>;
  private readonly backendDuration: FixedBucketHistogram<'api'>;
  // prom-client hashes a label object on every call; a request's labels are looked up once here.
  private readonly requestChildren = new Map<string, Counter.Internal>();
  private readonly durationChildren = new Map<string, HistogramSeries>();
  private readonly backendChildren = new Map<string, HistogramSeries>();

  constructor(options: { processMetrics?: boolean } = {}) {
    const registers = [this.registry];
    this.requests = new Counter({ name: 'gatehouse_requests_total', help: 'Gateway requests by API, operation, status and arrival endpoint (status 0: the client went away).', labelNames: ['api', 'operation', 'status', 'endpoint'], registers });
    this.duration = new FixedBucketHistogram('gatehouse_request_duration_seconds', 'Time from request arrival to the end of the response.', ['api', 'endpoint'], durationBuckets, this.registry);
    this.backendDuration = new FixedBucketHistogram('gatehouse_backend_duration_seconds', 'Time the backend took to send its response headers (retries summed).', ['api'], durationBuckets, this.registry);
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  /** Counts one completed request. */
  record(request: CompletedRequest): void {
    const gw = request.record.gateway;
    const api = gw ? gw.routing.apiId : '';
    const operation = gw ? gw.operation.name : '';
    const status = String(request.status);
    const key = `${api}\n${operation}\n${status}\n${request.endpoint}`;
    let counter = this.requestChildren.get(key);
    if (!counter) {
      counter = this.requests.labels({ api, operation, status, endpoint: request.endpoint });
      this.requestChildren.set(key, counter);
    }
    counter.inc();
    const durationKey = `${api}\n${request.endpoint}`;
    let duration = this.durationChildren.get(durationKey);
    if (!duration) {
      duration = this.duration.labels({ api, endpoint: request.endpoint });
      this.durationChildren.set(durationKey, duration);
    }
    duration.observe(request.durationMs / 1000);
    if (request.backendMs !== undefined) {
      let backend = this.backendChildren.get(api);
      if (!backend) {
        backend = this.backendDuration.labels({ api });
        this.backendChildren.set(api, backend);
      }
      backend.observe(request.backendMs / 1000);
    }
  }

  /** The registry in Prometheus text format. */
  text(): Promise<string> {
    return this.registry.metrics();
  }
}

/** Reports `holder`'s current snapshot version on `registry` as gatehouse_config_snapshot_version. */
export function trackSnapshotVersion(registry: Registry, holder: SnapshotHolder): void {
  new Gauge({
    name: 'gatehouse_config_snapshot_version',
    help: 'Version of the configuration snapshot the gateway serves (1 at start, +1 per reload).',
    registers: [registry],
    collect() {
      this.set(holder.current.version);
    },
  });
}
