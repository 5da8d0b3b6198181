/**
 * Backend connection settings in a real `gatehouse start` process (its gateway in a process of
 * its own) on real sockets, configured through the management API: a certificate uploaded as a
 * PFX reaches the gateway process and is presented to an HTTPS backend that asks for a client
 * certificate, the Backend's `tls` rules decide whether a self-signed backend is called, and
 * forward-request `http-version="2"` calls it over HTTP/2.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startGatehouseProcess, type GatehouseProcess } from './helpers/gatehouse-process.js';
import { waitFor } from './helpers/wait-for.js';
import { packPfx, selfSignedCertificate, startHttp2Backend, type RunningServer, type SeenRequest } from '../helpers/tls-test-servers.js';

const service = '/subscriptions/sub-1/resourceGroups/rg-1/providers/Microsoft.ApiManagement/service/gatehouse';
const policy = (forward: string) =>
  `<policies><inbound><base /><set-backend-service backend-id="partner" /></inbound><backend>${forward}</backend><outbound><base /></outbound><on-error><base /></on-error></policies>`;

let gh: GatehouseProcess;
let backend: RunningServer;
let call: (method: string, path: string, properties: Record<string, unknown>) => Promise<{ status: number; text: string }>;

before(async () => {
  backend = await startHttp2Backend(await selfSignedCertificate('127.0.0.1', { ips: ['127.0.0.1'] }), true);
  gh = await startGatehouseProcess([]);
  const text = gh.stdout.join('\n');
  const management = /management API \(http\): (\S+)/.exec(text)![1]!;
  const token = readFileSync(/admin token file: (\S+)/.exec(text)![1]!, 'utf8').trim();
  call = async (method, path, properties) => {
    const res = await fetch(`${management}${service}/${path}?api-version=2024-05-01`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'if-match': '*' },
      body: JSON.stringify({ properties }),
    });
    return { status: res.status, text: await res.text() };
  };
});
after(async () => {
  await gh?.stop();
  await backend?.close();
});

/** Calls the gateway until `ok` holds for the answer (configuration changes apply within a poll). */
async function gatewayAnswer(ok: (status: number, body: string) => boolean): Promise<{ status: number; body: string }> {
  let last = { status: 0, body: '' };
  await waitFor(
    'the gateway to answer as configured',
    async () => {
      const res = await fetch(`${gh.gatewayUrl}/partner/x`);
      last = { status: res.status, body: await res.text() };
      return ok(last.status, last.body);
    },
    gh,
    30_000,
  );
  return last;
}

describe('backend connections (gatehouse process)', () => {
  it('presents the uploaded client certificate, applies tls rules and speaks HTTP/2 when asked', async () => {
    const client = packPfx(await selfSignedCertificate('gatehouse-e2e-client'), 'e2e-pfx');
    const ok = (r: { status: number; text: string }) => assert.ok(r.status === 200 || r.status === 201, r.text);
    ok(await call('PUT', 'certificates/partner-client', { data: client.pfx, password: client.password }));
    ok(await call('PUT', 'backends/partner', { url: backend.url, protocol: 'http', credentials: { certificateIds: ['/certificates/partner-client'] } }));
    ok(await call('PUT', 'apis/partner', { displayName: 'Partner', path: 'partner', protocols: ['http'], subscriptionRequired: false, serviceUrl: 'http://127.0.0.1:9' }));
    ok(await call('PUT', 'apis/partner/operations/x', { displayName: 'x', method: 'GET', urlTemplate: '/x' }));
    ok(await call('PUT', 'apis/partner/policies/policy', { format: 'rawxml', value: policy('<base />') }));

    // The chain is checked by default: the self-signed backend is refused.
    const refused = await gatewayAnswer((status) => status === 500);
    assert.equal(refused.status, 500);

    ok(await call('PUT', 'backends/partner', { url: backend.url, protocol: 'http', tls: { validateCertificateChain: false }, credentials: { certificateIds: ['/certificates/partner-client'] } }));
    const served = await gatewayAnswer((status) => status === 200);
    const seen = JSON.parse(served.body) as SeenRequest;
    assert.equal(seen.clientCertificate, 'gatehouse-e2e-client');
    assert.equal(seen.httpVersion, '1.1');

    ok(await call('PUT', 'apis/partner/policies/policy', { format: 'rawxml', value: policy('<forward-request http-version="2" />') }));
    const h2 = await gatewayAnswer((status, body) => status === 200 && body.includes('"httpVersion":"2.0"'));
    assert.equal((JSON.parse(h2.body) as SeenRequest).clientCertificate, 'gatehouse-e2e-client');
  });
});
