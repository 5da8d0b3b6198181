/**
 * The `cross-domain` policy through a real `gatehouse start` process: saved in the global policy
 * through the management API, its documents are served by the gateway process at
 * `/crossdomain.xml` and `/clientaccesspolicy.xml` (GET and HEAD, no key); a placement anywhere
 * but the global inbound section is refused at save time with element, line and column.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startGatehouseProcess, type GatehouseProcess } from './helpers/gatehouse-process.js';
import { managementClient, type ManagementAnswer } from './helpers/management-client.js';
import { waitFor } from './helpers/wait-for.js';

const flash = '<cross-domain-policy><site-control permitted-cross-domain-policies="master-only" /><allow-http-request-headers-from domain="*" headers="SOAPAction" /></cross-domain-policy>';
const silverlight =
  '<access-policy><cross-domain-access><policy><allow-from http-request-headers="*"><domain uri="https://*.contoso.com" /></allow-from>' +
  '<grant-to><resource path="/" include-subpaths="true" /></grant-to></policy></cross-domain-access></access-policy>';
const declaration = '<?xml version="1.0" encoding="utf-8"?>\n';

describe('cross-domain through a real gateway process', () => {
  let gh: GatehouseProcess;
  let manage: (method: string, path: string, body?: unknown) => Promise<ManagementAnswer>;
  const savePolicy = (path: string, xml: string) => manage('PUT', path, { properties: { format: 'rawxml', value: xml } });

  before(async () => {
    gh = await startGatehouseProcess([]);
    await waitFor('the banner', () => /admin token file/.test(gh.stdout.join('\n')), gh);
    manage = managementClient(gh);
    const saved = await savePolicy('policies/policy', `<policies><inbound><cross-domain>${flash}${silverlight}</cross-domain><base /></inbound><backend><base /></backend><outbound><base /></outbound></policies>`);
    assert.ok(saved.status === 200 || saved.status === 201, saved.text);
    await waitFor('the gateway to serve crossdomain.xml', async () => {
      const res = await fetch(`${gh.gatewayUrl}/crossdomain.xml`);
      await res.arrayBuffer();
      return res.status === 200;
    }, gh, 30_000);
  });
  after(() => gh?.stop());

  it('serves both documents with GET, as text/xml, without a subscription key', async () => {
    const flashAnswer = await fetch(`${gh.gatewayUrl}/crossdomain.xml`);
    assert.equal(flashAnswer.status, 200);
    assert.equal(flashAnswer.headers.get('content-type'), 'text/xml; charset=utf-8');
    assert.equal(await flashAnswer.text(), declaration + flash);
    const silverlightAnswer = await fetch(`${gh.gatewayUrl}/clientaccesspolicy.xml`);
    assert.equal(silverlightAnswer.status, 200);
    assert.equal(await silverlightAnswer.text(), declaration + silverlight);
  });

  it('answers HEAD with the length and no body', async () => {
    const res = await fetch(`${gh.gatewayUrl}/clientaccesspolicy.xml`, { method: 'HEAD' });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-length'), String(Buffer.byteLength(declaration + silverlight)));
    assert.equal(await res.text(), '');
  });

  it('refuses the policy at save time outside the global inbound section, naming element, line and column', async () => {
    const atApi = await savePolicy('apis/echo-api/policies/policy', `<policies>\n  <inbound>\n    <base />\n    <cross-domain>${flash}</cross-domain>\n  </inbound>\n</policies>`);
    assert.equal(atApi.status, 400, atApi.text);
    assert.equal(atApi.body.error.details[0].target, 'cross-domain');
    assert.match(atApi.body.error.details[0].message, /line 4, column 5: Policy is not allowed at the 'api' scope/);
    const inOutbound = await savePolicy('policies/policy', `<policies><inbound><base /></inbound><outbound><cross-domain>${flash}</cross-domain></outbound></policies>`);
    assert.equal(inOutbound.status, 400, inOutbound.text);
    assert.match(inOutbound.body.error.details[0].message, /not allowed in the 'outbound' section/);
    const badDocument = await savePolicy('policies/policy', '<policies><inbound><cross-domain><cross-domain-policy><allow-access-from /></cross-domain-policy></cross-domain></inbound></policies>');
    assert.equal(badDocument.status, 400, badDocument.text);
    assert.equal(badDocument.body.error.details[0].target, 'allow-access-from');
    // The refused documents changed nothing: the saved policy is still served.
    const still = await fetch(`${gh.gatewayUrl}/crossdomain.xml`);
    assert.equal(await still.text(), declaration + flash);
  });
});
