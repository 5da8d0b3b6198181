import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { MetricEmission, PolicyTelemetry } from '../../src/pipeline/policy-telemetry.js';
import { compileOnly, expectCompileError, runPolicies } from '../helpers/policy-harness.js';

const inbound = (body: string) => `<policies><inbound>${body}<return-response /></inbound><backend><base /></backend><outbound /><on-error /></policies>`;

/** Telemetry that keeps what the policy emitted. */
function recording(): PolicyTelemetry & { metrics: MetricEmission[] } {
  const metrics: MetricEmission[] = [];
  return { metrics, trace() {}, emitMetric: (_gw, metric) => void metrics.push(metric) };
}

describe('emit-metric', () => {
  it('emits name, namespace, value and dimensions; default dimensions take the request’s values', async () => {
    const telemetry = recording();
    await runPolicies({
      api: inbound(`<emit-metric name="Request" value="@(2.5 * 2)" namespace="my-metrics">
        <dimension name="User ID" /><dimension name="Product ID" /><dimension name="Subscription ID" /><dimension name="API ID" />
        <dimension name="Operation ID" /><dimension name="Gateway ID" /><dimension name="Location" />
        <dimension name="Client IP" value="@(context.Request.IpAddress)" /></emit-metric>`),
      apiModel: { name: 'orders' },
      operationModel: { name: 'get-order' },
      productModel: { name: 'gold', displayName: 'Gold' } as never,
      subscription: { name: 'sub-1', displayName: 'Sub 1', scope: '/products/gold' } as never,
      user: { name: 'ann' } as never,
      telemetry,
    }, { ip: '10.1.2.3' });
    assert.equal(telemetry.metrics.length, 1);
    const [m] = telemetry.metrics;
    assert.equal(m!.name, 'Request');
    assert.equal(m!.namespace, 'my-metrics');
    assert.equal(m!.value, 5);
    const dims = Object.fromEntries(m!.dimensions);
    assert.equal(dims['User ID'], 'ann');
    assert.equal(dims['Product ID'], 'gold');
    assert.equal(dims['Subscription ID'], 'sub-1');
    assert.equal(dims['API ID'], 'orders');
    assert.equal(dims['Operation ID'], 'get-order');
    assert.equal(typeof dims['Gateway ID'], 'string');
    assert.equal(typeof dims.Location, 'string');
    assert.equal(dims['Client IP'], '10.1.2.3');
  });

  it('defaults namespace to API Management and value to 1', async () => {
    const telemetry = recording();
    await runPolicies({ api: inbound('<emit-metric name="hits"><dimension name="kind" value="x" /></emit-metric>'), telemetry });
    assert.deepEqual(telemetry.metrics, [{ name: 'hits', namespace: 'API Management', value: 1, dimensions: [['kind', 'x']] }]);
  });

  it('fails into on-error when the value expression gives no number, emitting nothing', async () => {
    const telemetry = recording();
    const r = await runPolicies({ api: inbound('<emit-metric name="m" value="@(&quot;lots&quot;)"><dimension name="API ID" /></emit-metric>'), telemetry });
    assert.equal(r.gw.lastError?.source, 'emit-metric');
    assert.equal(r.status, 500);
    assert.deepEqual(telemetry.metrics, []);
  });

  it('runs in every section', () => {
    for (const section of ['inbound', 'backend', 'outbound', 'on-error']) {
      assert.doesNotThrow(() => compileOnly(`<policies><${section}><emit-metric name="m"><dimension name="API ID" /></emit-metric></${section}></policies>`));
    }
  });

  it('refuses what Azure refuses: no dimension, more than 10, a non-default dimension without value, expressions in name, other children', () => {
    const cases: Array<[string, RegExp]> = [
      ['<emit-metric name="m" />', /At least one 'dimension'/],
      [`<emit-metric name="m">${'<dimension name="d" value="v" />'.repeat(11)}</emit-metric>`, /At most 10 dimensions/],
      ['<emit-metric name="m"><dimension name="Client IP" /></emit-metric>', /needs a value/],
      ['<emit-metric name="@(&quot;m&quot;)"><dimension name="API ID" /></emit-metric>', /does not accept policy expressions/],
      ['<emit-metric name="m"><dimension value="v" /></emit-metric>', /required attribute 'name'/],
      ['<emit-metric name="m"><dimension name="API ID" colour="red" /></emit-metric>', /'colour' attribute is not declared/],
      ['<emit-metric name="m"><value>1</value></emit-metric>', /'value' is not allowed in 'emit-metric'/],
      ['<emit-metric name="m" value="lots"><dimension name="API ID" /></emit-metric>', /not a valid number/],
      ['<emit-metric value="1"><dimension name="API ID" /></emit-metric>', /required attribute 'name'/],
    ];
    for (const [xml, reason] of cases) assert.match(expectCompileError(`<policies><inbound>${xml}</inbound></policies>`).reason, reason, xml);
  });
});
