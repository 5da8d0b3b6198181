/**
 * The real `@azure/arm-apimanagement` SDK imports a WSDL (SOAP pass-through, with a
 * wsdlSelector) and a WADL, lists the SOAP operations, and reads both back through
 * `apiExport.get`, whose link is a `data:` URL holding the document (docs/import-export.md).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startAzureSdk, type AzureSdk } from './helpers/azure-sdk-client.js';
import { startSdkTarget, type SdkTarget } from './helpers/azure-sdk-target.js';

const rg = 'rg-soap';
const subscriptionId = '00000000-0000-0000-0000-0000000000bb';
const calculator = readFileSync(new URL('../fixtures/soap/calculator.wsdl', import.meta.url), 'utf8');
const orders = readFileSync(new URL('../fixtures/soap/orders.wadl', import.meta.url), 'utf8');

describe('the Azure SDK: WSDL and WADL import, apiExport.get', () => {
  let target: SdkTarget;
  let sdk: AzureSdk;
  before(async () => {
    target = await startSdkTarget();
    sdk = await startAzureSdk({ endpoint: target.managementUrl, token: target.adminToken, caFile: target.caFile, subscriptionId });
  });
  after(async () => {
    await sdk?.close();
    await target?.close();
  });

  it('imports a WSDL as a SOAP pass-through API and exports it with wsdl-link', async () => {
    const api = await sdk.call('api', 'beginCreateOrUpdateAndWait', rg, target.serviceName, 'calc', {
      format: 'wsdl',
      value: calculator,
      path: 'calc',
      apiType: 'soap',
      wsdlSelector: { wsdlServiceName: 'Calculator', wsdlEndpointName: 'CalculatorSoap12' },
    });
    assert.equal(api.apiType, 'soap');
    assert.equal(api.serviceUrl, 'http://calculator.example.org/soap12');
    const ops = await sdk.call('apiOperation', 'listByApi', rg, target.serviceName, 'calc');
    assert.deepEqual(ops.map((o) => [o.name, o.method, o.urlTemplate]), [
      ['add', 'POST', '/?soapAction=urn:calculator:Add12'],
      ['subtract', 'POST', '/?soapAction=urn:calculator:Subtract12'],
    ]);
    const exported = await sdk.call('apiExport', 'get', rg, target.serviceName, 'calc', 'wsdl-link', 'true');
    assert.equal(exported.exportResultFormat, 'wsdl-link+xml');
    assert.equal(exported.id, `/subscriptions/${subscriptionId}/resourceGroups/${rg}/providers/Microsoft.ApiManagement/service/${target.serviceName}/apis/calc`);
    assert.match(exported.value?.link ?? '', /^data:application\/xml;base64,/);
    assert.equal(await (await fetch(exported.value!.link!)).text(), calculator);
  });

  it('imports a WADL and exports it with wadl-link', async () => {
    const api = await sdk.call('api', 'beginCreateOrUpdateAndWait', rg, target.serviceName, 'orders', { format: 'wadl-xml', value: orders, path: 'orders' });
    assert.equal(api.displayName, 'Orders');
    const exported = await sdk.call('apiExport', 'get', rg, target.serviceName, 'orders', 'wadl-link', 'true');
    assert.equal(exported.exportResultFormat, 'wadl-link-json');
    assert.equal(await (await fetch(exported.value!.link!)).text(), orders);
  });
});
