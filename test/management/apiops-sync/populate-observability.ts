/**
 * The loggers, diagnostics, tags (with API, product and operation links) and API schemas of the
 * populated store: every property a diagnostic takes, credentials as named value references
 * (the form the extractor writes), and schemas of each document part.
 */

/** Writes them through `put` (the management API); the APIs, operations and products exist. */
export async function populateObservability(put: (path: string, properties: Record<string, unknown>) => Promise<void>): Promise<void> {
  await put('loggers/ai', { loggerType: 'applicationInsights', description: 'app insights', credentials: { instrumentationKey: '{{secret-value}}' }, isBuffered: false, resourceId: '/subscriptions/s/resourceGroups/rg/providers/microsoft.insights/components/ai' });
  await put('loggers/hub', { loggerType: 'azureEventHub', credentials: { name: 'events', connectionString: '{{secret-value}}' } });
  await put('loggers/azuremonitor', { loggerType: 'azureMonitor' });
  await put('diagnostics/applicationinsights', {
    alwaysLog: 'allErrors',
    loggerId: '/loggers/ai',
    sampling: { samplingType: 'fixed', percentage: 100.0 },
    frontend: {
      request: { headers: ['Content-Type'], body: { bytes: 0 }, dataMasking: { headers: [{ value: 'Authorization', mode: 'Hide' }], queryParams: [{ value: 'code', mode: 'Mask' }] } },
      response: { headers: ['Content-Type'], body: { bytes: 0 } },
    },
    backend: { request: { headers: [], body: { bytes: 0 } }, response: { headers: [], body: { bytes: 0 } } },
    logClientIp: true,
    httpCorrelationProtocol: 'W3C',
    verbosity: 'information',
    operationNameFormat: 'Url',
    metrics: true,
  });
  await put('apis/echo/diagnostics/azuremonitor', { loggerId: '/loggers/azuremonitor', sampling: { samplingType: 'fixed', percentage: 25 }, logClientIp: false });
  await put('tags/t1', { displayName: 'Tag one' });
  await put('tags/t2', { displayName: 'Tag two' });
  await put('apis/echo/tags/t1', {});
  await put('apis/echo/operations/get-item/tags/t2', {});
  await put('products/gold/tags/t2', {});
  await put('apis/echo/schemas/xsd', { contentType: 'application/vnd.ms-azure-apim.xsd+xml', document: { value: '<s:schema xmlns:s="http://www.w3.org/2001/XMLSchema" />' } });
  await put('apis/echo/schemas/components', { contentType: 'application/vnd.oai.openapi.components+json', document: { components: { schemas: { Pet: { type: 'object', properties: { id: { type: 'integer' } } } } } } });
}
