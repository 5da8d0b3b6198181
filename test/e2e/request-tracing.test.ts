/**
 * Request tracing through the real CLI (`gatehouse start`, its gateway in a worker process):
 * policies at global, product, API and operation scope written through the management API, a
 * debug token from listDebugCredentials, a request with `Apim-Debug-Authorization` answered
 * with `Apim-Trace-Id`, and the trace from listTrace in Azure's documented shape (sections,
 * fields, elapsed format), every scope's steps in order, with the secret named value and the
 * subscription key masked. Expired, wrong-API, forged and invalidated tokens trace nothing, and
 * `gatehouse trace` prints the trace of one request; with `--workers 0` the trace is kept in process.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { runGatehouse, startGatehouseProcess, type GatehouseProcess } from './helpers/gatehouse-process.js';
import { managementClient, type ManagementAnswer } from './helpers/management-client.js';
import { waitFor } from './helpers/wait-for.js';

const secret = 'topsecret-named-value-9137';
const service = '/subscriptions/sub-e2e/resourceGroups/rg-e2e/providers/Microsoft.ApiManagement/service/gatehouse';
const document = (inbound: string, outbound = '<base />') =>
  `<policies><inbound><base />${inbound}</inbound><backend><base /></backend><outbound>${outbound}</outbound><on-error><base /></on-error></policies>`;

const globalPolicy = `<policies><inbound><set-variable name="scope" value="global" /><set-header name="X-Backend-Secret" exists-action="override"><value>{{backend-secret}}</value></set-header></inbound><backend><forward-request /></backend><outbound><set-header name="X-Global-Out" exists-action="override"><value>yes</value></set-header></outbound><on-error /></policies>`;
const productPolicy = document('<set-variable name="scope" value="product" /><rate-limit calls="100" renewal-period="60" />');
const apiPolicy = document('<set-variable name="scope" value="api" /><choose><when condition="@(context.Request.Headers.ContainsKey(&quot;x-branch&quot;))"><set-header name="X-Branch" exists-action="override"><value>when</value></set-header></when><otherwise><set-header name="X-Branch" exists-action="override"><value>otherwise</value></set-header></otherwise></choose>');
const operationPolicy = document('<set-variable name="scope" value="operation" /><trace source="e2e-trace" severity="information"><message>@("operation scope for " + context.Operation.Id)</message></trace>', '<base /><set-header name="X-Operation-Out" exists-action="override"><value>op</value></set-header>');

/** Azure's documented listTrace answer (ApiManagementGatewayListTrace.json, test/fixtures/corpus/arm-examples). */
const azureTrace = JSON.parse(readFileSync(new URL('../fixtures/corpus/arm-examples/ApiManagementGatewayListTrace.json', import.meta.url), 'utf8')).responses['200'].body;

/** Every key path of `shape` (objects only; arrays by their first item), to compare shapes not values. */
function keyPaths(shape: unknown, at = ''): string[] {
  if (Array.isArray(shape)) return shape.length > 0 ? keyPaths(shape[0], `${at}[]`) : [];
  if (shape === null || typeof shape !== 'object') return [];
  return Object.entries(shape).flatMap(([key, value]) => [`${at}.${key}`, ...keyPaths(value, `${at}.${key}`)]);
}

interface Entry {
  source: string;
  timestamp: string;
  elapsed: string;
  data: any;
}

describe('request tracing through a real gateway process', () => {
  let gh: GatehouseProcess;
  let manage: (method: string, path: string, body?: unknown) => Promise<ManagementAnswer>;
  let key: string;
  const call = (headers: Record<string, string>, path = '/echo/resource') =>
    fetch(`${gh.gatewayUrl}${path}`, { headers: { 'Ocp-Apim-Subscription-Key': key, connection: 'close', ...headers } });
  const tokenFor = async (api: string, lifetime?: string): Promise<string> => {
    const r = await manage('POST', 'gateways/managed/listDebugCredentials', { apiId: `${service}/apis/${api}`, purposes: ['tracing'], ...(lifetime ? { credentialsExpireAfter: lifetime } : {}) });
    assert.equal(r.status, 200, r.text);
    return r.body.token as string;
  };
  const put = async (path: string, properties: Record<string, unknown>) => {
    const r = await manage('PUT', path, { properties });
    assert.ok(r.status === 200 || r.status === 201, `${path}: ${r.text}`);
  };

  before(async () => {
    gh = await startGatehouseProcess([]);
    await waitFor('the banner', () => /sample subscription key/.test(gh.stdout.join('\n')) && /admin token file/.test(gh.stdout.join('\n')), gh);
    manage = managementClient(gh, service);
    key = /sample subscription key \(product 'starter'\): (\S+)/.exec(gh.stdout.join('\n'))![1]!;
    await put('namedValues/backend-secret', { displayName: 'backend-secret', value: secret, secret: true });
    await put('policies/policy', { format: 'rawxml', value: globalPolicy });
    await put('products/starter/policies/policy', { format: 'rawxml', value: productPolicy });
    await put('apis/echo-api/policies/policy', { format: 'rawxml', value: apiPolicy });
    await put('apis/echo-api/operations/retrieve-resource/policies/policy', { format: 'rawxml', value: operationPolicy });
    await put('apis/other-api', { displayName: 'Other', path: 'other', serviceUrl: 'http://127.0.0.1:9', protocols: ['http'] });
    // The configuration reaches the gateway live: wait until every scope's policy runs.
    await waitFor('the policies to apply', async () => {
      const res = await call({});
      await res.arrayBuffer();
      return res.headers.get('x-operation-out') === 'op' && res.headers.get('x-global-out') === 'yes';
    }, gh, 30_000);
  });
  after(() => gh?.stop());

  it("answers a traced request with Apim-Trace-Id and listTrace returns Azure's shape with every scope in order, secrets masked", async () => {
    const token = await tokenFor('echo-api');
    const res = await call({ 'Apim-Debug-Authorization': token, 'x-branch': '1' });
    const echoed = await res.text();
    assert.equal(res.status, 200, echoed);
    const traceId = res.headers.get('apim-trace-id');
    assert.ok(traceId, 'the answer carries Apim-Trace-Id');
    assert.ok(!/apim-debug-authorization/i.test(echoed), `the debug token reached the backend: ${echoed}`);

    const listed = await manage('POST', 'gateways/managed/listTrace', { traceId });
    assert.equal(listed.status, 200, listed.text);
    assert.deepEqual(Object.keys(listed.body), ['serviceName', 'traceId', 'traceEntries']);
    assert.equal(listed.body.serviceName, 'gatehouse');
    assert.equal(listed.body.traceId, traceId);
    const entries = listed.body.traceEntries as Record<string, Entry[]>;
    assert.deepEqual(Object.keys(entries), ['inbound', 'backend', 'outbound']);
    let last = '';
    for (const section of ['inbound', 'backend', 'outbound']) {
      for (const entry of entries[section]!) {
        assert.deepEqual(Object.keys(entry), ['source', 'timestamp', 'elapsed', 'data']);
        assert.match(entry.elapsed, /^\d\d:\d\d:\d\d\.\d{7}$/);
        assert.match(entry.timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$/);
        assert.ok(entry.elapsed >= last, `elapsed grows: ${entry.elapsed} after ${last}`);
        last = entry.elapsed;
      }
    }
    const inbound = entries.inbound!;
    assert.deepEqual(inbound.slice(0, 2).map((e) => e.source), ['api-inspector', 'api-inspector']);
    // Azure's documented entries: the api-inspector steps carry at least every field Azure's do, and the last step is Azure's own.
    for (const i of [0, 1]) {
      const ours = new Set(keyPaths(inbound[i]));
      assert.deepEqual(keyPaths(azureTrace.traceEntries.inbound[i]).filter((path) => !ours.has(path)), [], `api-inspector step ${i + 1}`);
    }
    assert.deepEqual(entries.outbound!.at(-1)!.data, azureTrace.traceEntries.outbound.at(-1).data);
    assert.deepEqual(Object.keys(listed.body), Object.keys(azureTrace));
    assert.equal(inbound[0]!.data.request.method, 'GET');
    assert.deepEqual(inbound[1]!.data.configuration.operation, { method: 'GET', uriTemplate: '/resource' });
    assert.equal(inbound[1]!.data.configuration.product, 'starter');
    assert.equal(inbound[1]!.data.configuration.api.from, '/echo');
    // Every scope's steps, in the order <base/> puts them: global, product, API, operation.
    const variables = inbound.filter((e) => e.source === 'set-variable').map((e) => e.data.value);
    assert.deepEqual(variables, ['global', 'product', 'api', 'operation']);
    const sources = inbound.map((e) => e.source);
    assert.deepEqual(sources.slice(2), ['set-variable', 'set-header', 'set-variable', 'rate-limit', 'set-variable', 'choose', 'set-header', 'set-variable', 'e2e-trace']);
    assert.equal(inbound.find((e) => e.source === 'rate-limit')!.data.totalCalls, 100);
    assert.equal(inbound.find((e) => e.source === 'choose')!.data.branch, 'when[1]');
    assert.deepEqual(inbound.find((e) => e.source === 'e2e-trace')!.data, { severity: 'information', message: 'operation scope for retrieve-resource', metadata: {} });
    const backend = entries.backend!;
    assert.deepEqual(backend.map((e) => e.source), ['forward-request', 'forward-request']);
    assert.match(backend[0]!.data.message, /^Request is being forwarded to the backend service\. Timeout set to \d+ seconds$/);
    assert.equal(backend[1]!.data.response.status.code, 200);
    const outbound = entries.outbound!;
    assert.deepEqual(outbound.map((e) => e.source), ['set-header', 'set-header', 'transfer-response']);
    assert.deepEqual(outbound[2]!.data, { message: 'Response has been sent to the caller in full' });

    const text = JSON.stringify(listed.body);
    assert.ok(!text.includes(secret), 'the secret named value is masked');
    assert.ok(!text.includes(key), 'the subscription key is masked');
    assert.ok(!text.includes(token.slice(token.indexOf('&sn=') + 4)), 'the debug token is not in the trace');
    const sentHeaders = backend[0]!.data.request.headers as Array<{ name: string; value: string }>;
    assert.equal(sentHeaders.find((h) => h.name.toLowerCase() === 'x-backend-secret')?.value, '***');
    assert.equal(sentHeaders.find((h) => h.name.toLowerCase() === 'ocp-apim-subscription-key')?.value, '***');
  });

  it('marks an expired token and one for another API, traces neither, and ignores a forged one', async () => {
    const short = await tokenFor('echo-api', 'PT1S');
    await new Promise((r) => setTimeout(r, 1200));
    const expired = await call({ 'Apim-Debug-Authorization': short });
    await expired.arrayBuffer();
    assert.equal(expired.status, 200);
    assert.equal(expired.headers.get('apim-debug-authorization-expired'), 'true');
    assert.equal(expired.headers.get('apim-trace-id'), null);

    const wrong = await call({ 'Apim-Debug-Authorization': await tokenFor('other-api') });
    await wrong.arrayBuffer();
    assert.equal(wrong.headers.get('apim-debug-authorization-wrongapi'), 'true');
    assert.equal(wrong.headers.get('apim-trace-id'), null);

    const valid = await tokenFor('echo-api');
    const forged = await call({ 'Apim-Debug-Authorization': valid.replace('aid=echo-api', 'aid=other-api') });
    await forged.arrayBuffer();
    assert.equal(forged.status, 200);
    for (const name of ['apim-trace-id', 'apim-debug-authorization-expired', 'apim-debug-authorization-wrongapi']) assert.equal(forged.headers.get(name), null, name);

    assert.equal((await manage('POST', 'gateways/managed/listTrace', { traceId: 'no-such-trace' })).status, 404);
  });

  it('gatehouse trace sends one request and prints its trace readably, or as JSON', async () => {
    const management = /management API \(http\): (\S+)/.exec(gh.stdout.join('\n'))![1]!;
    const data = dirname(/admin token file: (\S+)/.exec(gh.stdout.join('\n'))![1]!);
    const common = [`${gh.gatewayUrl}/echo/resource`, '--management-url', management, '--data', data, '-H', `Ocp-Apim-Subscription-Key: ${key}`];
    const printed = await runGatehouse(['trace', ...common]);
    assert.equal(printed.code, 0, printed.stderr);
    const lines = printed.stdout.split('\n');
    assert.match(lines[0]!, /^200 OK {2}\(API 'echo-api', trace [0-9a-f-]{36}\)$/);
    for (const section of ['inbound', 'backend', 'outbound']) assert.ok(lines.includes(section), `${section} in:\n${printed.stdout}`);
    assert.ok(lines.some((l) => /^ {2}\d\d:\d\d:\d\d\.\d{7} {2}forward-request$/.test(l)), printed.stdout);
    assert.ok(lines.includes('      message: Response has been sent to the caller in full'), printed.stdout);
    assert.ok(lines.includes('          Ocp-Apim-Subscription-Key: ***'), printed.stdout);
    assert.ok(!printed.stdout.includes(secret) && !printed.stdout.includes(key));

    const usage = await runGatehouse(['trace']);
    assert.equal(usage.code, 2, usage.stderr);
    assert.match(usage.stderr, /Usage: gatehouse trace URL/);
    const wrongApi = await runGatehouse(['trace', ...common, '--api', 'other-api']);
    assert.equal(wrongApi.code, 1);
    assert.match(wrongApi.stderr, /without an Apim-Trace-Id header \(the token is for API 'other-api', which does not serve this URL\)/);

    const json = await runGatehouse(['trace', ...common, '--json']);
    assert.equal(json.code, 0, json.stderr);
    const trace = JSON.parse(json.stdout);
    assert.equal(trace.serviceName, 'gatehouse');
    assert.equal(trace.traceEntries.inbound[0].source, 'api-inspector');
  });

  it('invalidateDebugCredentials ends the tokens issued before it', async () => {
    const token = await tokenFor('echo-api');
    const r = await manage('POST', 'gateways/managed/invalidateDebugCredentials');
    assert.equal(r.status, 204, r.text);
    await waitFor('the invalidation to reach the gateway', async () => {
      const res = await call({ 'Apim-Debug-Authorization': token });
      await res.arrayBuffer();
      return res.headers.get('apim-trace-id') === null;
    }, gh, 30_000);
    const fresh = await call({ 'Apim-Debug-Authorization': await tokenFor('echo-api') });
    await fresh.arrayBuffer();
    assert.ok(fresh.headers.get('apim-trace-id'), 'a token issued after the invalidation traces');
  });
});

describe('request tracing with the gateway in the start process (--workers 0)', () => {
  let gh: GatehouseProcess;
  before(async () => {
    gh = await startGatehouseProcess(['--workers', '0']);
    await waitFor('the banner', () => /sample subscription key/.test(gh.stdout.join('\n')) && /admin token file/.test(gh.stdout.join('\n')), gh);
  });
  after(() => gh?.stop());

  it('keeps the trace where listTrace finds it', async () => {
    const manage = managementClient(gh, service);
    const key = /sample subscription key \(product 'starter'\): (\S+)/.exec(gh.stdout.join('\n'))![1]!;
    const credentials = await manage('POST', 'gateways/managed/listDebugCredentials', { apiId: `${service}/apis/echo-api`, purposes: ['tracing'] });
    assert.equal(credentials.status, 200, credentials.text);
    const res = await fetch(`${gh.gatewayUrl}/echo/resource`, { headers: { 'Ocp-Apim-Subscription-Key': key, 'Apim-Debug-Authorization': credentials.body.token } });
    await res.arrayBuffer();
    const traceId = res.headers.get('apim-trace-id');
    assert.ok(traceId);
    const listed = await manage('POST', 'gateways/managed/listTrace', { traceId });
    assert.equal(listed.status, 200, listed.text);
    assert.deepEqual(Object.keys(listed.body.traceEntries), ['inbound', 'backend', 'outbound']);
  });
});
