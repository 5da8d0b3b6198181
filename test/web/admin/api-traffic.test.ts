/**
 * The dashboard's figures (web/admin/api-traffic.ts, histogram-quantile.ts): requests and errors
 * per API summed over operations, statuses and endpoints; p50/p95 interpolated in the buckets as
 * Prometheus does; the difference of two readings; a restart counted from zero.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { apiCounts, trafficBetween } from '../../../web/admin/api-traffic.js';
import { histogramQuantile } from '../../../web/admin/histogram-quantile.js';
import { parsePrometheusText } from '../../../web/admin/prometheus-text.js';

function reading(ok: number, notFound: number, failed: number, buckets: Array<[string, number]>) {
  const lines = [
    `gatehouse_requests_total{api="orders",operation="get",status="200",endpoint="public"} ${ok}`,
    `gatehouse_requests_total{api="orders",operation="get",status="404",endpoint="public"} ${notFound}`,
    `gatehouse_requests_total{api="orders",operation="put",status="503",endpoint="pe-1"} ${failed}`,
    'gatehouse_requests_total{api="",operation="",status="404",endpoint="public"} 1',
    ...buckets.map(([le, n]) => `gatehouse_request_duration_seconds_bucket{le="${le}",api="orders",endpoint="public"} ${n}`),
  ];
  return apiCounts(parsePrometheusText(lines.join('\n')));
}

describe('histogram quantiles', () => {
  it('interpolate inside the bucket the rank falls in, from 0 for the first', () => {
    const buckets = [{ le: 0.1, count: 50 }, { le: 0.2, count: 100 }, { le: Infinity, count: 100 }];
    assert.equal(histogramQuantile(0.5, buckets), 0.1);
    assert.ok(Math.abs(histogramQuantile(0.75, buckets)! - 0.15) < 1e-9);
    assert.ok(Math.abs(histogramQuantile(0.25, buckets)! - 0.05) < 1e-9);
  });

  it('answer the largest finite bound in the +Inf bucket, and nothing without observations', () => {
    assert.equal(histogramQuantile(0.95, [{ le: 1, count: 1 }, { le: Infinity, count: 10 }]), 1);
    assert.equal(histogramQuantile(0.5, [{ le: 1, count: 0 }, { le: Infinity, count: 0 }]), undefined);
    assert.equal(histogramQuantile(0.5, [{ le: 1, count: 3 }]), undefined);
  });
});

describe('traffic per API', () => {
  it('sums operations and endpoints, with 4xx and 5xx apart, busiest first', () => {
    const rows = trafficBetween(undefined, reading(6, 2, 2, [['0.01', 5], ['0.1', 10], ['+Inf', 10]]));
    assert.deepEqual(rows.map((r) => [r.api, r.requests, r.clientErrors, r.serverErrors]), [
      ['orders', 10, 2, 2],
      ['', 1, 1, 0],
    ]);
    assert.equal(rows[0]!.p50, 0.01);
    assert.ok(Math.abs(rows[0]!.p95! - 0.091) < 1e-9);
    assert.equal(rows[1]!.p50, undefined);
  });

  it('between two readings counts only what happened in between', () => {
    const earlier = reading(6, 2, 2, [['0.01', 5], ['0.1', 10], ['+Inf', 10]]);
    const later = reading(9, 2, 3, [['0.01', 5], ['0.1', 14], ['+Inf', 14]]);
    const rows = trafficBetween(earlier, later);
    // The unmatched requests did not change: not listed.
    assert.deepEqual(rows.map((r) => r.api), ['orders']);
    const [orders] = rows;
    assert.deepEqual([orders!.requests, orders!.clientErrors, orders!.serverErrors], [4, 0, 1]);
    // All four new requests took between 10 and 100 ms.
    assert.ok(orders!.p50! > 0.01 && orders!.p50! <= 0.1);
  });

  it('counts from zero after a restart (the counters went down)', () => {
    const earlier = reading(60, 2, 2, [['+Inf', 64]]);
    const later = reading(3, 0, 0, [['+Inf', 3]]);
    assert.equal(trafficBetween(earlier, later)[0]!.requests, 3);
  });
});
