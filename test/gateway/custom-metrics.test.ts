import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from 'prom-client';
import { CustomMetrics, prometheusName } from '../../src/gateway/custom-metrics.js';

const lines = async (registry: Registry, name: string) => (await registry.metrics()).split('\n').filter((l) => l.startsWith(`${name}{`)).sort();

describe('custom metrics (emit-metric) as Prometheus counters', () => {
  it('makes names Prometheus-safe', () => {
    assert.equal(prometheusName('API ID'), 'api_id');
    assert.equal(prometheusName('Orders/Placed (EU)'), 'orders_placed_eu');
    assert.equal(prometheusName('9 lives'), '_9_lives');
    assert.equal(prometheusName('***'), '_');
  });

  it('sums values per label set', async () => {
    const registry = new Registry();
    const metrics = new CustomMetrics(registry);
    metrics.add({ name: 'Request', namespace: 'ns', value: 1, dimensions: [['API ID', 'a']] });
    metrics.add({ name: 'Request', namespace: 'ns', value: 0.5, dimensions: [['API ID', 'a']] });
    metrics.add({ name: 'Request', namespace: 'ns', value: 2, dimensions: [['API ID', 'b']] });
    assert.deepEqual(await lines(registry, 'gatehouse_custom_request_total'), [
      'gatehouse_custom_request_total{namespace="ns",api_id="a"} 1.5',
      'gatehouse_custom_request_total{namespace="ns",api_id="b"} 2',
    ]);
  });

  it('widens a metric to a new dimension keeping what it counted, the missing label empty', async () => {
    const registry = new Registry();
    const metrics = new CustomMetrics(registry);
    metrics.add({ name: 'Request', namespace: 'ns', value: 3, dimensions: [['API ID', 'a']] });
    metrics.add({ name: 'Request', namespace: 'ns', value: 1, dimensions: [['Client', 'c']] });
    metrics.add({ name: 'Request', namespace: 'ns', value: 1, dimensions: [['API ID', 'a']] });
    assert.deepEqual(await lines(registry, 'gatehouse_custom_request_total'), [
      'gatehouse_custom_request_total{namespace="ns",api_id="",client="c"} 1',
      'gatehouse_custom_request_total{namespace="ns",api_id="a",client=""} 4',
    ]);
  });

  it('keeps a dimension called namespace apart from the namespace label', async () => {
    const registry = new Registry();
    new CustomMetrics(registry).add({ name: 'm', namespace: 'ns', value: 1, dimensions: [['Namespace', 'dim']] });
    assert.deepEqual(await lines(registry, 'gatehouse_custom_m_total'), ['gatehouse_custom_m_total{namespace="ns",dimension_namespace="dim"} 1']);
  });

  it('refuses a negative or non-finite value without touching the series', async () => {
    const registry = new Registry();
    const metrics = new CustomMetrics(registry);
    metrics.add({ name: 'm', namespace: 'ns', value: 1, dimensions: [['d', 'x']] });
    assert.throws(() => metrics.add({ name: 'm', namespace: 'ns', value: -1, dimensions: [['d', 'x']] }), RangeError);
    assert.throws(() => metrics.add({ name: 'm', namespace: 'ns', value: Number.NaN, dimensions: [['d', 'x']] }), RangeError);
    assert.deepEqual(await lines(registry, 'gatehouse_custom_m_total'), ['gatehouse_custom_m_total{namespace="ns",d="x"} 1']);
  });
});
