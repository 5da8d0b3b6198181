/**
 * The gateway's Prometheus metrics (issue 4 §5, issue 6) on a registry of our own (never
 * prom-client's global one): requests by API, operation, status and arrival endpoint, request
 * and backend durations, the served snapshot's version, and prom-client's process metrics.
 * Unmatched requests count under api="" operation="". List in docs/observability.md.
 */
import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { Operation } from '../model/resources.js';
import { FixedBucketHistogram, type HistogramSeries } from './fixed-bucket-histogram.js';
import { FixedLabelCounter, type CounterCell } from './fixed-label-counter.js';
import type { CompletedRequest, RequestSink } from './request-observer.js';
import type { SnapshotHolder } from './snapshot/snapshot-holder.js';

/** 1 ms to 30 s, roughly three steps per decade. */
export const durationBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** The series one route (an operation of an API, or every unmatched request) feeds, resolved on its first request. */
interface RouteSeries {
  readonly api: string;
  readonly operation: string;
  readonly byEndpoint: Map<string, EndpointSeries>;
  backend: HistogramSeries | undefined;
}

/** A route's series at one arrival endpoint. */
interface EndpointSeries {
  readonly requests: Map<number, CounterCell>;
  readonly duration: HistogramSeries;
}

/** The metrics one process keeps; `sink` feeds them from the request observer. */
export class GatewayMetrics implements RequestSink {
  readonly registry = new Registry();
  // Counted and observed on every request: our own counter and histogram, printed as prom-client's would be.
  private readonly requests: FixedLabelCounter<'api' | 'operation' | 'status' | 'endpoint'>;
  private readonly duration: FixedBucketHistogram<'api' | 'endpoint'>;
  private readonly backendDuration: FixedBucketHistogram<'api'>;
  // A request finds its series through its operation object, never through a string built for it.
  // A new snapshot brings new operation objects, so a renamed API or operation gets series of its
  // own name; the names are checked too, in case an operation object outlives a rename.
  private readonly routes = new WeakMap<Operation, RouteSeries>();
  private readonly unmatched: RouteSeries = routeSeries('', '');

  constructor(options: { processMetrics?: boolean } = {}) {
    this.requests = new FixedLabelCounter('gatehouse_requests_total', 'Gateway requests by API, operation, status and arrival endpoint (status 0: the client went away).', ['api', 'operation', 'status', 'endpoint'], this.registry);
    this.duration = new FixedBucketHistogram('gatehouse_request_duration_seconds', 'Time from request arrival to the end of the response.', ['api', 'endpoint'], durationBuckets, this.registry);
    this.backendDuration = new FixedBucketHistogram('gatehouse_backend_duration_seconds', 'Time the backend took to send its response headers (retries summed).', ['api'], durationBuckets, this.registry);
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  /** Counts one completed request. */
  record(request: CompletedRequest): void {
    const gw = request.record.gateway;
    const route = gw ? this.routeOf(gw.routing.apiId, gw.operation) : this.unmatched;
    const { endpoint, status } = request;
    const at = route.byEndpoint.get(endpoint) ?? this.addEndpoint(route, endpoint);
    (at.requests.get(status) ?? this.addStatus(route, at, endpoint, status)).inc();
    at.duration.observe(request.durationMs / 1000);
    if (request.backendMs !== undefined) {
      (route.backend ??= this.backendDuration.labels({ api: route.api })).observe(request.backendMs / 1000);
    }
  }

  private routeOf(api: string, operation: Operation): RouteSeries {
    const known = this.routes.get(operation);
    if (known && known.api === api && known.operation === operation.name) return known;
    const route = routeSeries(api, operation.name);
    this.routes.set(operation, route);
    return route;
  }

  private addEndpoint(route: RouteSeries, endpoint: string): EndpointSeries {
    const at: EndpointSeries = { requests: new Map(), duration: this.duration.labels({ api: route.api, endpoint }) };
    route.byEndpoint.set(endpoint, at);
    return at;
  }

  private addStatus(route: RouteSeries, at: EndpointSeries, endpoint: string, status: number): CounterCell {
    const cell = this.requests.labels({ api: route.api, operation: route.operation, status: String(status), endpoint });
    at.requests.set(status, cell);
    return cell;
  }

  /** The registry in Prometheus text format. */
  text(): Promise<string> {
    return this.registry.metrics();
  }
}

function routeSeries(api: string, operation: string): RouteSeries {
  return { api, operation, byEndpoint: new Map(), backend: undefined };
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
