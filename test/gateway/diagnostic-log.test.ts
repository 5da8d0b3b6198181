/**
 * Diagnostics acted on, end to end: loggers and diagnostics written through the management API,
 * the store's configuration served by a real gateway on a loopback port, and the records read
 * from the process log stream: what a record holds (headers, masking, client address,
 * correlation id, operation name), sampling with `alwaysLog`, an API's diagnostic replacing the
 * service's of the same name (a copy below another revision does not), and a reload that removes them.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { startGatewayRuntime, type GatewayRuntime } from '../../src/main/gateway-runtime.js';
import { startEchoBackend, type EchoBackend } from '../../src/main/sample/echo-backend.js';
import { serviceConfigFromEntities } from '../../src/management/store-config/service-config-from-entities.js';
import { startManagement, type ManagementHarness } from '../management/arm/arm-harness.js';
import { jsonLogLines, type LogLine as Line } from '../helpers/json-log-lines.js';


describe('gateway diagnostics: records in the log stream', () => {
  let h: ManagementHarness;
  let backend: EchoBackend;
  let runtime: GatewayRuntime;
  let base = '';
  const { sink, lines } = jsonLogLines();
  const records = (): Line[] => lines.filter((l) => l.msg === 'gateway diagnostic');

  const put = async (path: string, properties: Record<string, unknown>): Promise<void> => {
    const r = await h.call('PUT', path, { body: { properties } });
    assert.ok(r.status === 200 || r.status === 201, `${path}: ${r.text}`);
  };
  const config = async () => serviceConfigFromEntities(await h.store.all(), { serviceName: 'gatehouse', sealer: h.box });

  /** Sends a request and waits (a bounded number of turns) until `count` records exist in all. */
  async function send(path: string, headers: Record<string, string>, count: number): Promise<number> {
    const r = await fetch(`${base}${path}`, { headers });
    await r.arrayBuffer();
    for (let i = 0; i < 200 && records().length < count; i++) await new Promise((resolve) => setTimeout(resolve, 5));
    return r.status;
  }

  before(async () => {
    h = await startManagement();
    backend = await startEchoBackend();
    for (const api of ['echo', 'quiet']) {
      await put(`apis/${api}`, { displayName: api, path: api, serviceUrl: backend.url, protocols: ['http'], subscriptionRequired: false });
      await put(`apis/${api}/operations/get-item`, { displayName: 'Get item', method: 'GET', urlTemplate: '/items/{id}', templateParameters: [{ name: 'id', type: 'string', required: true }] });
    }
    await put('namedValues/ai-key', { displayName: 'ai-key', value: 'k', secret: true });
    await put('loggers/ai', { loggerType: 'applicationInsights', credentials: { instrumentationKey: '{{ai-key}}' } });
    await put('loggers/hub', { loggerType: 'azureEventHub', credentials: { name: 'events', connectionString: 'Endpoint=sb://hub/;SharedAccessKey=x' } });
    await put('diagnostics/applicationinsights', {
      loggerId: '/loggers/ai',
      sampling: { samplingType: 'fixed', percentage: 100 },
      logClientIp: true,
      httpCorrelationProtocol: 'W3C',
      operationNameFormat: 'Url',
      frontend: {
        request: { headers: ['X-Kept', 'Authorization', 'X-Masked'], dataMasking: { headers: [{ value: 'Authorization', mode: 'Hide' }, { value: 'x-masked', mode: 'Mask' }], queryParams: [{ value: 'code', mode: 'Mask' }, { value: 'token', mode: 'Hide' }] } },
        response: { headers: ['Content-Type'] },
      },
    });
    // The quiet API replaces the service's diagnostic: nothing sampled, failures always.
    await put('apis/quiet/diagnostics/applicationinsights', { loggerId: '/loggers/hub', sampling: { percentage: 0 }, alwaysLog: 'allErrors' });
    runtime = await startGatewayRuntime(await config(), { host: '127.0.0.1', httpPort: 0, httpsPort: null, certificates: [] }, pino({ level: 'info' }, sink));
    base = runtime.listeners[0]!.url.replace(/\/$/, '');
  });
  after(async () => {
    await runtime.close();
    await backend.close();
    await h.close();
  });

  it("records a request to the service's logger: masked headers and query, client address, W3C correlation id, the operation by URL", async () => {
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    assert.equal(await send('/echo/items/7?code=abc&token=t&x=1', { 'x-kept': 'yes', authorization: 'Bearer secret', 'x-masked': 'm', traceparent }, 1), 200);
    const [line] = records();
    assert.ok(line, JSON.stringify(lines));
    assert.equal(line.level, 30, 'an info line');
    assert.equal(line.diagnostic, 'applicationinsights');
    assert.equal(line.logger, 'ai');
    assert.equal(line.loggerType, 'applicationInsights');
    assert.equal(line.url, '/echo/items/7?code=***&x=1');
    assert.equal(line.status, 200);
    assert.equal(line.api, 'echo');
    assert.equal(line.operation, 'GET /items/{id}');
    assert.equal(line.clientIp, '127.0.0.1');
    assert.equal(line.correlationId, '4bf92f3577b34da6a3ce929d0e0e4736');
    assert.deepEqual(line.requestHeaders, { 'x-kept': 'yes', 'x-masked': '***' });
    assert.match(line.responseHeaders['content-type'], /json/);
    assert.ok(!JSON.stringify(lines).includes('Bearer secret') && !JSON.stringify(lines).includes('token=t'), 'hidden values never reach the log');
  });

  it("uses an API's own diagnostic in place of the service's: 0% sampled, failures always", async () => {
    // A diagnostic below another revision of the API is not the API's: it changes nothing.
    await put('apis/quiet;rev=2', { sourceApiId: '/apis/quiet' });
    await put('apis/quiet;rev=2/diagnostics/applicationinsights', { loggerId: '/loggers/ai', sampling: { percentage: 100 } });
    runtime.reload(await config());
    const before = records().length;
    assert.equal(await send('/quiet/items/1', {}, before), 200);
    assert.equal(await send('/quiet/nothing-here', {}, before + 1), 404);
    const added = records().slice(before);
    assert.equal(added.length, 1, JSON.stringify(added));
    assert.equal(added[0]!.logger, 'hub');
    assert.equal(added[0]!.eventHub, 'events');
    assert.equal(added[0]!.status, 404);
    assert.equal(added[0]!.clientIp, undefined, 'logClientIp is off for this diagnostic');
  });

  it('stops recording once a reload removes the diagnostics', async () => {
    assert.equal((await h.call('DELETE', 'loggers/ai?force=true', { headers: { 'if-match': '*' } })).status, 200);
    assert.equal((await h.call('DELETE', 'loggers/hub?force=true', { headers: { 'if-match': '*' } })).status, 200);
    runtime.reload(await config());
    const before = records().length;
    assert.equal(await send('/echo/items/2', {}, before), 200);
    assert.equal(await send('/quiet/missing', {}, before), 404);
    assert.equal(records().length, before);
  });
});
