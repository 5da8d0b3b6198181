/**
 * authentication-certificate, as a policy before forward-request and as a child of
 * send-request, against real loopback HTTPS servers that ask for a client certificate: the
 * certificate named by certificate-id or thumbprint, or given inline as a byte[] PFX, is the
 * one the server receives; names that do not exist are refused when the policy is compiled.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { expectCompileError, runPolicies } from '../helpers/policy-harness.js';
import { packPfx, selfSignedCertificate, type ClientPfx, type KeyPair } from '../helpers/tls-test-servers.js';
import type { Backend, Certificate } from '../../src/model/resources.js';

const doc = (inbound: string) => `<policies><inbound>${inbound}</inbound><backend><base /></backend><outbound /><on-error /></policies>`;

const peerName = (socket: TLSSocket): string | null => {
  const cn = socket.getPeerCertificate()?.subject?.CN;
  return typeof cn === 'string' ? cn : null;
};

/**
 * An HTTPS server that asks for a client certificate: it answers each request with the subject
 * CN of the certificate its connection presented (`none` without), and records the CN shown in
 * every handshake (null without), also when the caller then drops the connection. TLS 1.2:
 * its server finishes the handshake before the client can judge the server's certificate, so
 * a caller that then refuses it has still been seen.
 */
async function recordingServer(pair: KeyPair): Promise<{ url: string; shown: Array<string | null>; close(): Promise<void> }> {
  const shown: Array<string | null> = [];
  const server: Server = createServer({ ...pair, requestCert: true, rejectUnauthorized: false, maxVersion: 'TLSv1.2' }, (req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' }).end(peerName(req.socket as TLSSocket) ?? 'none');
  });
  server.on('secureConnection', (socket: TLSSocket) => shown.push(peerName(socket)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    shown,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

describe('authentication-certificate', () => {
  let server: Awaited<ReturnType<typeof recordingServer>>;
  let client: ClientPfx;
  let pemPair: KeyPair;
  let certificates: Certificate[];
  let backend: Backend;
  before(async () => {
    server = await recordingServer(await selfSignedCertificate('backend.test'));
    client = packPfx(await selfSignedCertificate('pfx-client'), 'pfx-secret');
    pemPair = await selfSignedCertificate('pem-client');
    const keyless = await selfSignedCertificate('public-only');
    const thumbprint = (pem: string) => new X509Certificate(pem).fingerprint.replace(/:/g, '');
    certificates = [
      { name: 'pfx-client', subject: 'CN=pfx-client', expirationDate: '', thumbprint: client.thumbprint, data: client.pfx, password: client.password },
      { name: 'pem-client', subject: 'CN=pem-client', expirationDate: '', thumbprint: thumbprint(pemPair.cert), data: pemPair.cert + pemPair.key },
      { name: 'public-only', subject: 'CN=public-only', expirationDate: '', thumbprint: thumbprint(keyless.cert), data: keyless.cert, publicOnly: true },
    ];
    // The test server's certificate is self-signed: the backend entity turns the checks off.
    backend = { name: 'mtls', url: server.url, tls: { validateCertificateChain: false, validateCertificateName: false } };
  });
  after(() => server.close());

  const forward = async (policy: string) => {
    const r = await runPolicies({ api: doc(`<set-backend-service backend-id="mtls" />${policy}<base />`), backends: [backend], certificates });
    return { status: r.status, shown: r.body };
  };

  it('presents nothing without the policy, the named certificate with it', async () => {
    assert.deepEqual(await forward(''), { status: 200, shown: 'none' });
    assert.deepEqual(await forward('<authentication-certificate certificate-id="pfx-client" />'), { status: 200, shown: 'pfx-client' });
    assert.deepEqual(await forward('<authentication-certificate certificate-id="/subscriptions/s/resourceGroups/g/providers/Microsoft.ApiManagement/service/x/certificates/pem-client" />'), { status: 200, shown: 'pem-client' });
    assert.deepEqual(await forward(`<authentication-certificate thumbprint="${client.thumbprint.toLowerCase()}" />`), { status: 200, shown: 'pfx-client' });
  });

  /** forward-request with the PFX of a variable as `body`, opened with `password`. */
  const inline = (password: string) =>
    runPolicies({
      api: doc(`<set-backend-service backend-id="mtls" /><authentication-certificate body="@(Convert.FromBase64String((string)context.Variables[&quot;pfx&quot;]))" password="${password}" /><base />`),
      backends: [backend],
      variables: { pfx: client.pfx },
    });

  it('takes an inline PFX from an expression (byte[]) with its password', async () => {
    const r = await inline('pfx-secret');
    assert.equal(r.status, 200);
    assert.equal(r.body, 'pfx-client');
  });

  it('fails the request with a wrong inline password, and for a thumbprint unknown at run time', async () => {
    const wrong = await inline('nope');
    assert.equal(wrong.status, 500);
    assert.match(wrong.gw.lastError!.message, /password/);
    const unknown = await runPolicies({ api: doc(`<authentication-certificate thumbprint="@(&quot;00FF&quot;)" /><base />`), backends: [backend], certificates });
    assert.equal(unknown.status, 500);
    assert.equal(unknown.gw.lastError?.reason, 'CertificateNotFound');
  });

  it('presents the certificate of a send-request child to that call only', async () => {
    const call = (child: string) => runPolicies({
      api: doc(`<send-request response-variable-name="r" ignore-error="true"><set-url>${server.url}/x</set-url><set-method>GET</set-method>${child}</send-request>
        <return-response><set-body>done</set-body></return-response>`),
      certificates,
    });
    // The server's self-signed certificate fails the gateway's chain check after the handshake,
    // which is where the client certificate was already shown.
    await call('<authentication-certificate certificate-id="pem-client" />');
    assert.equal(server.shown.at(-1), 'pem-client');
    await call('');
    assert.equal(server.shown.at(-1), null);
  });

  const refused: Array<[string, RegExp]> = [
    ['<authentication-certificate certificate-id="ghost" />', /Certificate with id 'ghost' could not be found/],
    ['<authentication-certificate thumbprint="00FF" />', /Certificate with thumbprint '00FF' could not be found/],
    ['<authentication-certificate certificate-id="public-only" />', /has no private key/],
    ['<authentication-certificate />', /Exactly one of/],
    ['<authentication-certificate certificate-id="pfx-client" thumbprint="00FF" />', /Exactly one of/],
    ['<authentication-certificate certificate-id="pfx-client" password="x" />', /only with 'body'/],
    ['<authentication-certificate certificate-id="pfx-client" colour="x" />', /colour/],
    ['<send-request response-variable-name="r" ignore-error="true"><set-url>https://x.test/</set-url><set-method>GET</set-method><authentication-certificate certificate-id="ghost" /></send-request>', /Certificate with id 'ghost' could not be found/],
    ['<send-request response-variable-name="r" ignore-error="true"><set-url>https://x.test/</set-url><set-method>GET</set-method><authentication-certificate certificate-id="pfx-client" /><authentication-certificate certificate-id="pfx-client" /></send-request>', /only once/],
  ];
  for (const [xml, reason] of refused) {
    it(`refuses ${xml.slice(0, 100)}`, () => {
      assert.match(expectCompileError(doc(xml), 'api', { certificates }).reason, reason);
    });
  }

  it('is refused outside inbound', () => {
    const xml = '<policies><inbound /><backend /><outbound><authentication-certificate certificate-id="pfx-client" /></outbound><on-error /></policies>';
    assert.ok(expectCompileError(xml, 'api', { certificates }));
  });
});
