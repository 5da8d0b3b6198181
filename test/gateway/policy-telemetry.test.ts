/**
 * The `trace` and `emit-metric` policies acted on through the diagnostics in force: loggers,
 * diagnostics and policies written through the management API, served by a real gateway on a
 * loopback port. A trace reaches the log only when a diagnostic's `verbosity` admits its
 * severity, sampling or not; an API's diagnostic replaces the service's; custom metrics appear
 * in the Prometheus registry only while an Application Insights diagnostic has `metrics: true`,
 * with their dimensions and the default ones filled from the request.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { startGatewayRuntime, type GatewayRuntime } from '../../src/main/gateway-runtime.js';
import { startEchoBackend, type EchoBackend } from '../../src/main/sample/echo-backend.js';
import { serviceConfigFromEntities } from '../../src/management/store-config/service-config-from-entities.js';
import { startManagement, type ManagementHarness } from '../management/arm/arm-harness.js';
import { jsonLogLines, type LogLine as Line } from '../helpers/json-log-lines.js';


const policies = (inbound: string) => `<policies><inbound><base />${inbound}</inbound><backend><base /></backend><outbound><base /></outbound><on-error><base /></on-error></policies>`;

const traces = `
  <trace source="orders" severity="verbose"><message>@("low " + context.Request.Url.Path)</message></trace>
  <trace source="orders" severity="information"><message>info</message><metadata name="who" value="@(context.Request.Headers.GetValueOrDefault(&quot;x-who&quot;, &quot;nobody&quot;))" /></trace>
  <trace source="orders" severity="error"><message>bad</message></trace>`;

const metric = `
  <emit-metric name="Orders Placed" value="@(context.Request.Headers.GetValueOrDefault(&quot;x-count&quot;, &quot;1&quot;))" namespace="shop">
    <dimension name="API ID" />
    <dimension name="Operation ID" />
    <dimension name="Client" value="@(context.Request.Headers.GetValueOrDefault(&quot;x-who&quot;, &quot;nobody&quot;))" />
  </emit-metric>`;

describe('trace and emit-metric through the diagnostics in force', () => {
  let h: ManagementHarness;
  let backend: EchoBackend;
  let runtime: GatewayRuntime;
  const registry = new Registry();
  let base = '';
  const { sink, lines } = jsonLogLines();
  const tracesLogged = (): Line[] => lines.filter((l) => l.msg === 'gateway trace');

  const put = async (path: string, properties: Record<string, unknown>): Promise<void> => {
    const r = await h.call('PUT', path, { body: { properties } });
    assert.ok(r.status === 200 || r.status === 201, `${path}: ${r.text}`);
  };
  const reload = async () => runtime.reload(await serviceConfigFromEntities(await h.store.all(), { serviceName: 'gatehouse', sealer: h.box }));
  const send = async (path: string, headers: Record<string, string> = {}): Promise<number> => {
    const r = await fetch(`${base}${path}`, { headers });
    await r.arrayBuffer();
    return r.status;
  };
  /** The series lines of `name` in the registry's text. */
  const series = async (name: string): Promise<string[]> => (await registry.metrics()).split('\n').filter((l) => l.startsWith(`${name}{`));

  before(async () => {
    h = await startManagement();
    backend = await startEchoBackend();
    for (const api of ['shop', 'other']) {
      await put(`apis/${api}`, { displayName: api, path: api, serviceUrl: backend.url, protocols: ['http'], subscriptionRequired: false });
      await put(`apis/${api}/operations/get-order`, { displayName: 'Get order', method: 'GET', urlTemplate: '/orders/{id}', templateParameters: [{ name: 'id', type: 'string', required: true }] });
      await put(`apis/${api}/policies/policy`, { format: 'rawxml', value: policies(traces + metric) });
    }
    await put('loggers/ai', { loggerType: 'applicationInsights', credentials: { instrumentationKey: 'k' } });
    await put('loggers/monitor', { loggerType: 'azureMonitor' });
    // Sampling never applies to traces: 0% sampled still writes them.
    await put('diagnostics/applicationinsights', { loggerId: '/loggers/ai', sampling: { samplingType: 'fixed', percentage: 0 }, verbosity: 'information', metrics: true });
    // The other API's own diagnostic: errors only, no custom metrics.
    await put('apis/other/diagnostics/applicationinsights', { loggerId: '/loggers/ai', verbosity: 'error' });
    const config = await serviceConfigFromEntities(await h.store.all(), { serviceName: 'gatehouse', sealer: h.box });
    runtime = await startGatewayRuntime(config, { host: '127.0.0.1', httpPort: 0, httpsPort: null, certificates: [] }, pino({ level: 'info' }, sink), { metricsRegistry: registry });
    base = runtime.listeners[0]!.url.replace(/\/$/, '');
  });
  after(async () => {
    await runtime?.close();
    await backend?.close();
    await h?.close();
  });

  it("writes the traces the service's verbosity admits (information and error), with metadata, whatever the sampling", async () => {
    assert.equal(await send('/shop/orders/1', { 'x-who': 'ann' }), 200);
    const written = tracesLogged();
    assert.deepEqual(written.map((l) => [l.severity, l.message]), [['information', 'info'], ['error', 'bad']]);
    const [info] = written;
    assert.equal(info!.diagnostic, 'applicationinsights');
    assert.equal(info!.logger, 'ai');
    assert.equal(info!.source, 'orders');
    assert.equal(info!.api, 'shop');
    assert.equal(info!.operation, 'get-order');
    assert.deepEqual(info!.metadata, { who: 'ann' });
    assert.equal(typeof info!.requestId, 'string');
  });

  it("uses the API's own diagnostic: its verbosity error admits the error trace alone", async () => {
    const before = tracesLogged().length;
    assert.equal(await send('/other/orders/1'), 200);
    assert.deepEqual(tracesLogged().slice(before).map((l) => l.severity), ['error']);
  });

  it('counts emit-metric with its value, namespace, own and default dimensions while metrics is true', async () => {
    assert.equal(await send('/shop/orders/2', { 'x-who': 'bob', 'x-count': '2.5' }), 200);
    assert.equal(await send('/shop/orders/3', { 'x-who': 'bob' }), 200);
    const shown = await series('gatehouse_custom_orders_placed_total');
    assert.ok(shown.includes('gatehouse_custom_orders_placed_total{namespace="shop",api_id="shop",operation_id="get-order",client="bob"} 3.5'), shown.join('\n'));
    // The other API's diagnostic has no metrics: its requests count nowhere.
    assert.equal(await send('/other/orders/4', { 'x-who': 'carl' }), 200);
    assert.ok(!(await series('gatehouse_custom_orders_placed_total')).some((l) => l.includes('carl') || l.includes('api_id="other"')));
  });

  it('stops writing traces and counting metrics once metrics and verbosity change', async () => {
    await put('diagnostics/applicationinsights', { loggerId: '/loggers/ai', verbosity: 'error', metrics: false });
    await reload();
    const traced = tracesLogged().length;
    const before = await series('gatehouse_custom_orders_placed_total');
    assert.equal(await send('/shop/orders/5', { 'x-who': 'dan' }), 200);
    assert.deepEqual(tracesLogged().slice(traced).map((l) => l.severity), ['error']);
    assert.deepEqual(await series('gatehouse_custom_orders_placed_total'), before);
  });

  it('writes a verbose trace where verbosity is verbose, once per diagnostic in force', async () => {
    await put('diagnostics/azuremonitor', { loggerId: '/loggers/monitor', verbosity: 'verbose' });
    await reload();
    const traced = tracesLogged().length;
    assert.equal(await send('/shop/orders/6'), 200);
    const added = tracesLogged().slice(traced);
    assert.deepEqual(added.map((l) => `${l.diagnostic}:${l.severity}`).sort(), ['applicationinsights:error', 'azuremonitor:error', 'azuremonitor:information', 'azuremonitor:verbose']);
    assert.equal(added.find((l) => l.severity === 'verbose')!.message, 'low /orders/6');
  });
});
