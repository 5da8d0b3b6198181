/**
 * Client certificates through a real `gatehouse start` process over real TLS, with a test CA
 * made by openssl at test time (test/helpers/test-pki.ts):
 *
 * - authentication-certificate: a loopback HTTPS backend that requires a client certificate
 *   from the test CA (requestCert + ca, rejectUnauthorized) refuses the gateway's call without
 *   the policy and accepts it with the certificate uploaded as PEM, for forward-request and
 *   for a send-request child; a policy naming a certificate that does not exist is refused
 *   when it is saved.
 * - client certificates at the gateway: the HTTPS listener asks callers of the host name given
 *   to --negotiate-client-certificate (only), validate-client-certificate checks them against
 *   the test CA uploaded as a public .cer (and, by default, against the CA's revocation list
 *   served on loopback), and context.Request.Certificate reads them.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer as createHttpServer } from 'node:http';
import { createServer, request as httpsRequest, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { startGatehouseProcess, type GatehouseProcess } from './helpers/gatehouse-process.js';
import { managementClient, type ManagementAnswer } from './helpers/management-client.js';
import { waitFor } from './helpers/wait-for.js';
import { TestPki } from '../helpers/test-pki.js';

const pki = new TestPki();
const backendCertificate = pki.issue('127.0.0.1', { altNames: ['IP:127.0.0.1'] });
const gatewayClient = pki.issue('gateway-client');
const gatewayHost = pki.issue('gw.test', { altNames: ['DNS:gw.test'] });
const defaultHost = pki.issue('default.test', { altNames: ['DNS:default.test'] });
const caller = pki.issue('caller-a', { subjectSuffix: '/O=Contoso' });
const strangerPki = new TestPki('Stranger CA');
const stranger = strangerPki.issue('caller-a');

let backend: Server;
let backendUrl: string;
let gh: GatehouseProcess;
let call: (method: string, path: string, body?: unknown) => Promise<ManagementAnswer>;

before(async () => {
  // Only certificates of the test CA get through the handshake.
  backend = createServer({ cert: backendCertificate.cert, key: backendCertificate.key, ca: pki.ca.cert, requestCert: true, rejectUnauthorized: true }, (req, res) => {
    const cn = (req.socket as TLSSocket).getPeerCertificate().subject?.CN;
    res.writeHead(200, { 'content-type': 'text/plain' }).end(`client=${String(cn)}`);
  });
  await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
  backendUrl = `https://127.0.0.1:${(backend.address() as AddressInfo).port}`;
  // The gateway trusts the backend's certificate through the test CA, as an operator's CA bundle would.
  const binding = (name: string, issued: { cert: string; key: string }) => `${name}=${pki.file(`${name}.crt`, issued.cert)},${pki.file(`${name}.key`, issued.key)}`;
  gh = await startGatehouseProcess(
    ['--gateway-https-port', '0', '--gateway-certificate', binding('gw.test', gatewayHost), '--gateway-certificate', binding('*', defaultHost), '--negotiate-client-certificate', 'gw.test'],
    { env: { NODE_EXTRA_CA_CERTS: pki.file('ca.pem', pki.ca.cert) } },
  );
  call = managementClient(gh);
});
after(async () => {
  await gh?.stop();
  backend?.closeAllConnections();
  await new Promise<void>((resolve) => (backend ? backend.close(() => resolve()) : resolve()));
  pki.dispose();
  strangerPki.dispose();
});

const ok = (r: ManagementAnswer) => assert.ok(r.status === 200 || r.status === 201, `${r.status} ${r.text}`);
const setPolicy = (api: string, inbound: string) =>
  call('PUT', `apis/${api}/policies/policy`, { properties: { format: 'rawxml', value: `<policies><inbound><base />${inbound}</inbound><backend><base /></backend><outbound><base /></outbound><on-error><base /></on-error></policies>` } });

/** Calls the gateway until the answer satisfies `done` (configuration applies within a poll). */
async function answerWhen(url: string, done: (status: number, body: string) => boolean): Promise<{ status: number; body: string }> {
  let last = { status: 0, body: '' };
  await waitFor('the gateway to answer as configured', async () => {
    const res = await fetch(url);
    last = { status: res.status, body: await res.text() };
    return done(last.status, last.body);
  }, gh, 30_000);
  return last;
}

describe('authentication-certificate (gatehouse process, mutual TLS backend)', () => {
  before(async () => {
    ok(await call('PUT', 'certificates/gateway-client', { properties: { data: gatewayClient.cert + gatewayClient.key } }));
    ok(await call('PUT', 'apis/mtls', { properties: { displayName: 'mTLS', path: 'mtls', protocols: ['http'], subscriptionRequired: false, serviceUrl: backendUrl } }));
    ok(await call('PUT', 'apis/mtls/operations/x', { properties: { displayName: 'x', method: 'GET', urlTemplate: '/x' } }));
  });

  it('is refused by the backend without a certificate and accepted with the uploaded one', async () => {
    ok(await setPolicy('mtls', ''));
    const refused = await answerWhen(`${gh.gatewayUrl}/mtls/x`, (status) => status !== 404);
    assert.equal(refused.status, 500, refused.body);
    ok(await setPolicy('mtls', '<authentication-certificate certificate-id="gateway-client" />'));
    const accepted = await answerWhen(`${gh.gatewayUrl}/mtls/x`, (status) => status === 200);
    assert.equal(accepted.body, 'client=gateway-client');
    ok(await setPolicy('mtls', `<authentication-certificate thumbprint="${gatewayClient.thumbprint}" />`));
    assert.equal((await answerWhen(`${gh.gatewayUrl}/mtls/x`, (status) => status === 200)).body, 'client=gateway-client');
  });

  it('presents it from a send-request child', async () => {
    const sendRequest = (child: string) => `<send-request response-variable-name="r" ignore-error="true"><set-url>${backendUrl}/side</set-url><set-method>GET</set-method>${child}</send-request>
      <return-response><set-body>@("side:" + (context.Variables["r"] == null ? "refused" : ((IResponse)context.Variables["r"]).Body.As&lt;string&gt;()))</set-body></return-response>`;
    ok(await setPolicy('mtls', sendRequest('')));
    // The earlier policy answers `client=…` until this one applies: wait for the side call's answer.
    assert.equal((await answerWhen(`${gh.gatewayUrl}/mtls/x`, (_s, body) => body.startsWith('side:'))).body, 'side:refused');
    ok(await setPolicy('mtls', sendRequest('<authentication-certificate certificate-id="gateway-client" />')));
    assert.equal((await answerWhen(`${gh.gatewayUrl}/mtls/x`, (_s, body) => body !== 'side:refused')).body, 'side:client=gateway-client');
  });

  it('refuses a policy naming a certificate that does not exist when it is saved', async () => {
    const refused = await setPolicy('mtls', '<authentication-certificate certificate-id="ghost" />');
    assert.equal(refused.status, 400);
    assert.equal(refused.body.error.code, 'ValidationError');
    assert.match(refused.body.error.details[0].message, /Certificate with id 'ghost' could not be found/);
  });
});

/** One HTTPS call to the gateway as `servername`, presenting `certificate` when the gateway asks. */
function callGateway(servername: string, path: string, certificate?: { cert: string; key: string }): Promise<{ status: number; body: string }> {
  const { port } = new URL(gh.httpsUrl!);
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      { host: '127.0.0.1', port, path, servername, headers: { host: servername }, ca: pki.ca.cert, agent: false, ...(certificate ?? {}) },
      (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (d) => (body += d)).on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject).end();
  });
}

describe('client certificates at the gateway (gatehouse process, HTTPS listener)', () => {
  before(async () => {
    ok(await call('PUT', 'certificates/test-root', { properties: { data: Buffer.from(pki.ca.cert.replace(/-----[^-]+-----|\s/g, ''), 'base64').toString('base64') } }));
    ok(await call('PUT', 'apis/whoami', { properties: { displayName: 'whoami', path: 'whoami', protocols: ['https'], subscriptionRequired: false, serviceUrl: 'http://127.0.0.1:9' } }));
    ok(await call('PUT', 'apis/whoami/operations/me', { properties: { displayName: 'me', method: 'GET', urlTemplate: '/me' } }));
    ok(await call('PUT', 'apis/whoami/policies/policy', { properties: { format: 'rawxml', value: `<policies><inbound><base />
      <validate-client-certificate validate-revocation="false"><identities><identity issuer-certificate-id="test-root" /></identities></validate-client-certificate>
      <return-response><set-body>@(context.Request.Certificate.Subject + " / " + context.Request.Certificate.Thumbprint)</set-body></return-response>
    </inbound><backend><base /></backend><outbound><base /></outbound><on-error><base /></on-error></policies>` } }));
    // Served with its policy: the API alone (before the policy's version reaches the gateway) would
    // forward to its closed backend port and answer 500.
    await waitFor('the whoami API to be served with its policy', async () => (await callGateway('gw.test', '/whoami/me', caller)).status === 200, gh, 30_000);
  });

  it('passes a certificate of the uploaded CA and shows it to expressions', async () => {
    assert.deepEqual(await callGateway('gw.test', '/whoami/me', caller), { status: 200, body: `O=Contoso, CN=caller-a / ${caller.thumbprint}` });
  });

  it('builds the chain through the intermediate the caller sends', async () => {
    const issuing = new TestPki('E2E Issuing CA', pki);
    try {
      const leaf = issuing.issue('behind-intermediate');
      ok(await call('PUT', 'apis/whoami/operations/chain', { properties: { displayName: 'chain', method: 'GET', urlTemplate: '/chain' } }));
      ok(await call('PUT', 'apis/whoami/operations/chain/policies/policy', { properties: { format: 'rawxml', value: `<policies><inbound>
        <validate-client-certificate validate-revocation="false" />
        <return-response><set-body>@(context.Request.Certificate.Issuer)</set-body></return-response>
      </inbound><backend /><outbound /><on-error><return-response><set-status code="401" /><set-body>@(context.LastError.Reason + ": " + context.LastError.Message)</set-body></return-response></on-error></policies>` } }));
      // Until its policy applies, the operation answers with the API's policy (subject / thumbprint).
      await waitFor('the chain operation', async () => (await callGateway('gw.test', '/whoami/chain', caller)).body === 'CN=Gatehouse Test Root CA', gh, 30_000);
      assert.deepEqual(await callGateway('gw.test', '/whoami/chain', { cert: leaf.cert + issuing.ca.cert, key: leaf.key }), { status: 200, body: 'CN=E2E Issuing CA' });
      assert.equal((await callGateway('gw.test', '/whoami/chain', leaf)).status, 401, 'without the intermediate there is no chain');
    } finally {
      issuing.dispose();
    }
  });

  it('refuses no certificate and one of another CA with 401', async () => {
    const missing = await callGateway('gw.test', '/whoami/me');
    assert.equal(missing.status, 401);
    assert.equal(JSON.parse(missing.body).message, 'Client certificate not present.');
    const other = await callGateway('gw.test', '/whoami/me', stranger);
    assert.equal(other.status, 401);
    assert.equal(JSON.parse(other.body).message, 'Invalid client certificate.');
  });

  it('checks revocation by default against the CA\'s revocation list', async () => {
    const crlServer = createHttpServer((_req, res) => res.writeHead(200, { 'content-type': 'application/pkix-crl' }).end(pki.crl()));
    await new Promise<void>((resolve) => crlServer.listen(0, '127.0.0.1', resolve));
    try {
      const crlUrl = `http://127.0.0.1:${(crlServer.address() as AddressInfo).port}/root.crl`;
      const current = pki.issue('current-caller', { crlUrl });
      const revoked = pki.issue('revoked-caller', { crlUrl });
      pki.revoke(revoked);
      ok(await call('PUT', 'apis/whoami/operations/strict', { properties: { displayName: 'strict', method: 'GET', urlTemplate: '/strict' } }));
      ok(await call('PUT', 'apis/whoami/operations/strict/policies/policy', { properties: { format: 'rawxml', value: `<policies><inbound>
        <validate-client-certificate />
        <return-response><set-body>@(context.Request.Certificate.Subject)</set-body></return-response>
      </inbound><backend /><outbound /><on-error><base /></on-error></policies>` } }));
      // Until its policy applies, the operation answers with the API's policy (subject / thumbprint).
      await waitFor('the strict operation', async () => (await callGateway('gw.test', '/whoami/strict', current)).body === 'CN=current-caller', gh, 30_000);
      const refused = await callGateway('gw.test', '/whoami/strict', revoked);
      assert.equal(refused.status, 401);
      assert.equal(JSON.parse(refused.body).message, 'Invalid client certificate.');
      // No distribution point: the status is unknown, which fails as well.
      assert.equal((await callGateway('gw.test', '/whoami/strict', caller)).status, 401);
    } finally {
      await new Promise<void>((resolve) => crlServer.close(() => resolve()));
    }
  });

  it('does not ask callers of a host name without negotiation', async () => {
    const notAsked = await callGateway('default.test', '/whoami/me', caller);
    assert.equal(notAsked.status, 401);
    assert.equal(JSON.parse(notAsked.body).message, 'Client certificate not present.');
  });
});
