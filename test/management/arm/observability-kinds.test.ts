/**
 * Loggers, diagnostics, tags (with their API, product and operation links) and API schemas
 * through the management API: Azure's shapes, validation with its 400 bodies, references that
 * must exist, what a deletion takes along, ETags and lists with `$filter`/`$top`.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { servicePath, startManagement, type ManagementHarness } from './arm-harness.js';

const put = (h: ManagementHarness, path: string, properties: Record<string, unknown> = {}, headers?: Record<string, string>) =>
  h.call('PUT', path, { body: { properties }, headers });
const etagOf = async (h: ManagementHarness, path: string): Promise<Record<string, string>> => ({ 'if-match': (await h.call('GET', path)).headers.get('etag')! });

describe('management API: loggers, diagnostics, tags, API schemas', () => {
  let h: ManagementHarness;
  before(async () => {
    h = await startManagement();
    assert.equal((await put(h, 'apis/echo', { displayName: 'Echo', path: 'echo', serviceUrl: 'http://127.0.0.1:1' })).status, 201);
    assert.equal((await put(h, 'apis/echo/operations/get', { displayName: 'Get', method: 'GET', urlTemplate: '/' })).status, 201);
    assert.equal((await put(h, 'products/starter', { displayName: 'Starter' })).status, 201);
  });
  after(() => h.close());

  it('moves a clear-text instrumentation key into a secret named value and answers the reference, as Azure does', async () => {
    const r = await put(h, 'loggers/ai', { loggerType: 'applicationInsights', description: 'adding a new logger', credentials: { instrumentationKey: 'key-123' } });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.body.id, `${servicePath}/loggers/ai`);
    assert.equal(r.body.type, 'Microsoft.ApiManagement/service/loggers');
    assert.equal(r.body.properties.isBuffered, true);
    const ref = /^\{\{(Logger-Credentials-[0-9a-f]{24})\}\}$/.exec(r.body.properties.credentials.instrumentationKey);
    assert.ok(ref, r.text);
    assert.ok(!JSON.stringify((await h.call('GET', 'loggers/ai')).body).includes('key-123'), 'GET never shows the key');
    const nv = await h.call('GET', `namedValues/${ref[1]}`);
    assert.equal(nv.body.properties.secret, true);
    assert.equal((await h.call('POST', `namedValues/${ref[1]}/listValue`)).body.value, 'key-123');
    // Sending the reference back (a GET body, or an extractor folder) keeps it.
    const again = await put(h, 'loggers/ai', { loggerType: 'applicationInsights', credentials: { instrumentationKey: `{{${ref[1]}}}` } });
    assert.equal(again.status, 200, again.text);
    assert.equal(again.body.properties.credentials.instrumentationKey, `{{${ref[1]}}}`);
  });

  it('validates loggers: type, the credentials each type needs, references that must exist', async () => {
    const bad = async (properties: Record<string, unknown>, target: string) => {
      const r = await put(h, 'loggers/bad', properties);
      assert.equal(r.status, 400, r.text);
      assert.equal(r.body.error.code, 'ValidationError');
      assert.equal(r.body.error.details[0].target, target, r.text);
    };
    await bad({}, 'loggerType');
    await bad({ loggerType: 'splunk' }, 'loggerType');
    await bad({ loggerType: 'applicationInsights' }, 'credentials');
    await bad({ loggerType: 'applicationInsights', credentials: { password: 'x', instrumentationKey: 'k' } }, 'credentials.password');
    await bad({ loggerType: 'azureEventHub', credentials: { connectionString: 'Endpoint=sb://x/' } }, 'credentials.name');
    await bad({ loggerType: 'applicationInsights', credentials: { instrumentationKey: '{{missing}}' } }, 'credentials.instrumentationKey');
    await bad({ loggerType: 'azureMonitor', isBuffered: 'yes' }, 'isBuffered');
    assert.equal((await h.call('GET', 'loggers/bad')).status, 404);
    const monitor = await put(h, 'loggers/azuremonitor', { loggerType: 'azuremonitor' });
    assert.equal(monitor.status, 201, monitor.text);
    assert.equal(monitor.body.properties.loggerType, 'azureMonitor');
    assert.equal(monitor.body.properties.credentials, undefined);
  });

  it('stores diagnostics for the service and an API; the logger must exist; unrecordable settings are refused', async () => {
    const missing = await put(h, 'diagnostics/applicationinsights', { loggerId: '/loggers/nope' });
    assert.equal(missing.status, 400, missing.text);
    assert.equal(missing.body.error.details[0].target, 'loggerId');
    const noLogger = await put(h, 'diagnostics/applicationinsights', { sampling: { samplingType: 'fixed', percentage: 100 } });
    assert.equal(noLogger.body.error.details[0].message, 'LoggerId must be specified.');
    assert.equal((await put(h, 'diagnostics/mine', { loggerId: '/loggers/ai' })).status, 400, 'Azure names diagnostics after their logger kind');
    const properties = {
      alwaysLog: 'allErrors',
      loggerId: `${servicePath}/loggers/ai`,
      sampling: { samplingType: 'fixed', percentage: 100.0 },
      frontend: { request: { headers: ['Content-type'], body: { bytes: 0 } }, response: { headers: ['Content-type'], body: { bytes: 0 } } },
      backend: { request: { headers: [], body: { bytes: 0 } }, response: { headers: [], body: { bytes: 0 } } },
      logClientIp: true,
      httpCorrelationProtocol: 'W3C',
      verbosity: 'information',
      operationNameFormat: 'Name',
    };
    const service = await put(h, 'diagnostics/applicationinsights', properties);
    assert.equal(service.status, 201, service.text);
    assert.equal(service.body.type, 'Microsoft.ApiManagement/service/diagnostics');
    assert.deepEqual(service.body.properties, properties);
    const api = await put(h, 'apis/echo/diagnostics/applicationinsights', { loggerId: '/loggers/ai', sampling: { percentage: 50 } });
    assert.equal(api.status, 201, api.text);
    assert.equal(api.body.id, `${servicePath}/apis/echo/diagnostics/applicationinsights`);
    assert.equal(api.body.type, 'Microsoft.ApiManagement/service/apis/diagnostics');
    assert.deepEqual(api.body.properties.sampling, { percentage: 50, samplingType: 'fixed' });
    for (const [patch, target] of [
      [{ sampling: { percentage: 101 } }, 'sampling.percentage'],
      [{ frontend: { request: { body: { bytes: 512 } } } }, 'frontend.request.body.bytes'],
      [{ backend: { response: { headers: ['x-a'] } } }, 'backend.response.headers'],
      [{ verbosity: 'loud' }, 'verbosity'],
    ] as const) {
      const r = await put(h, 'diagnostics/azuremonitor', { loggerId: '/loggers/azuremonitor', ...patch });
      assert.equal(r.status, 400, r.text);
      assert.equal(r.body.error.details[0].target, target, r.text);
    }
    const list = await h.call('GET', 'apis/echo/diagnostics');
    assert.deepEqual(list.body.value.map((d: { name: string }) => d.name), ['applicationinsights']);
  });

  it('keeps a logger a diagnostic uses until force=true, which takes the diagnostics along', async () => {
    const refused = await h.call('DELETE', 'loggers/ai', { headers: await etagOf(h, 'loggers/ai') });
    assert.equal(refused.status, 409, refused.text);
    assert.equal((await h.call('GET', 'loggers/ai')).status, 200);
    const forced = await h.call('DELETE', 'loggers/ai?force=true', { headers: { 'if-match': '*' } });
    assert.equal(forced.status, 200, forced.text);
    assert.equal((await h.call('GET', 'diagnostics/applicationinsights')).status, 404);
    assert.equal((await h.call('GET', 'apis/echo/diagnostics/applicationinsights')).status, 404);
  });

  it('serves tags and their API, product and operation links, which answer the tag', async () => {
    const missing = await put(h, 'tags/t1', {});
    assert.equal(missing.status, 400);
    assert.equal(missing.body.error.details[0].target, 'displayName');
    assert.equal((await put(h, 'tags/t1', { displayName: 'tag1' })).status, 201);
    assert.equal((await put(h, 'tags/t2', { displayName: 'tag2' })).status, 201);
    for (const path of ['apis/echo/tags/t1', 'products/starter/tags/t1', 'apis/echo/operations/get/tags/t1', 'apis/echo/tags/t2']) {
      const r = await h.call('PUT', path);
      assert.equal(r.status, 201, `${path}: ${r.text}`);
      assert.equal(r.body.id, `${servicePath}/tags/${path.split('/').pop()}`);
      assert.equal(r.body.type, 'Microsoft.ApiManagement/service/tags');
      assert.equal(r.body.properties.displayName, path.endsWith('t1') ? 'tag1' : 'tag2');
      assert.equal((await h.call('HEAD', path)).status, 200, 'HEAD on a tag link is getEntityState, answered 200');
    }
    assert.equal((await h.call('PUT', 'apis/echo/tags/nope')).status, 404, 'the tag must exist');
    const filtered = await h.call('GET', "apis/echo/tags?$filter=properties/displayName eq 'tag2'");
    assert.deepEqual(filtered.body.value.map((t: { name: string }) => t.name), ['t2']);
    const paged = await h.call('GET', 'apis/echo/tags?$top=1');
    assert.equal(paged.body.value.length, 1);
    assert.equal(paged.body.count, 2);
    assert.ok(paged.body.nextLink);
    // Deleting a tag removes its links.
    assert.equal((await h.call('DELETE', 'tags/t1', { headers: await etagOf(h, 'tags/t1') })).status, 200);
    for (const path of ['apis/echo/tags/t1', 'products/starter/tags/t1', 'apis/echo/operations/get/tags/t1']) {
      assert.equal((await h.call('GET', path)).status, 404, path);
    }
    assert.equal(((await h.store.all()).filter((e) => e.kind.endsWith('Tag') && e.id.endsWith('/t1'))).length, 0);
  });

  it('stores API schemas as given and requires the part of the document the content type names', async () => {
    const xsd = { contentType: 'application/vnd.ms-azure-apim.xsd+xml', document: { value: '<s:schema xmlns:s="http://www.w3.org/2001/XMLSchema"/>' } };
    const r = await put(h, 'apis/echo/schemas/s1', xsd);
    assert.equal(r.status, 201, r.text);
    assert.equal(r.body.type, 'Microsoft.ApiManagement/service/apis/schemas');
    assert.equal(r.body.properties.provisioningState, 'Succeeded');
    assert.deepEqual((await h.call('GET', 'apis/echo/schemas/s1')).body.properties, xsd);
    const components = { contentType: 'application/vnd.oai.openapi.components+json', document: { components: { schemas: { Pet: { type: 'object' } } } } };
    assert.equal((await put(h, 'apis/echo/schemas/s2', components)).status, 201);
    const wrong = await put(h, 'apis/echo/schemas/s3', { contentType: 'application/vnd.oai.openapi.components+json', document: { value: '{}' } });
    assert.equal(wrong.status, 400);
    assert.equal(wrong.body.error.details[0].target, 'document.components');
    const odd = await put(h, 'apis/echo/schemas/s3', { ...xsd, document: { value: 'x', extra: 1 } });
    assert.equal(odd.body.error.details[0].target, 'document.extra');
    assert.equal((await put(h, 'apis/missing/schemas/s1', xsd)).status, 404);
    assert.equal((await h.call('GET', 'apis/echo/schemas')).body.count, 2);
  });
});
