/**
 * validate-client-certificate over certificates made by a test CA at test time: dates, trust
 * (to a CA uploaded as a public .cer, or not), revocation (from the CA's revocation list served
 * on loopback; unknown without one, so refused unless turned off), every identity claim, ignore-error, Azure's save-time refusals; and
 * context.Request.Certificate as an X509Certificate2 in expressions.
 */
import { after, before, describe, it } from 'node:test';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { expectCompileError, runPolicies } from '../helpers/policy-harness.js';
import { TestPki } from '../helpers/test-pki.js';
import { RevocationLists } from '../../src/policies/validate-client-certificate/revocation-lists.js';
import { x509FromDer } from '../../src/expressions/runtime/x509.js';
import type { Certificate } from '../../src/model/resources.js';

const pki = new TestPki('Test Root');
const otherPki = new TestPki('Other Root');
after(() => {
  pki.dispose();
  otherPki.dispose();
});
const good = pki.issue('client-a', { altNames: ['DNS:a.clients.test'], subjectSuffix: '/O=Contoso' });
const expired = pki.issue('client-old', { startDays: -10, endDays: -1 });
const future = pki.issue('client-new', { startDays: 2, endDays: 10 });
const stranger = otherPki.issue('client-a');
const der = (pem: string) => new X509Certificate(pem).raw.toString('base64');
const caResource: Certificate = { name: 'test-root', subject: 'CN=Test Root', expirationDate: '', thumbprint: pki.ca.thumbprint, data: der(pki.ca.cert), publicOnly: true };
const certificates = [caResource];

const doc = (inbound: string) => `<policies><inbound>${inbound}<return-response><set-status code="200" /><set-body>passed</set-body></return-response></inbound><backend /><outbound /><on-error /></policies>`;
const noRevocation = 'validate-revocation="false"';
async function validate(attributes: string, identities: string, clientCertificate: string | undefined) {
  const inner = identities ? `<identities>${identities}</identities>` : '';
  const r = await runPolicies({ api: doc(`<validate-client-certificate ${attributes}>${inner}</validate-client-certificate>`), certificates }, { clientCertificate });
  return { status: r.status, body: r.body, reason: r.gw.lastError?.reason };
}

describe('validate-client-certificate', () => {
  it('passes a trusted, current certificate and refuses a missing one with 401', async () => {
    assert.deepEqual(await validate(noRevocation, '', good.cert), { status: 200, body: 'passed', reason: undefined });
    const missing = await validate(noRevocation, '', undefined);
    assert.equal(missing.status, 401);
    assert.equal(missing.reason, 'ClientCertificateNotPresent');
    assert.deepEqual(JSON.parse(missing.body).message, 'Client certificate not present.');
  });

  it('checks the dates unless told not to', async () => {
    assert.equal((await validate(`${noRevocation} validate-trust="false"`, '', expired.cert)).reason, 'ClientCertificateExpired');
    assert.equal((await validate(`${noRevocation} validate-trust="false" validate-not-after="false"`, '', expired.cert)).status, 200);
    assert.equal((await validate(`${noRevocation} validate-trust="false"`, '', future.cert)).reason, 'ClientCertificateNotYetValid');
    assert.equal((await validate(`${noRevocation} validate-trust="false" validate-not-before="false"`, '', future.cert)).status, 200);
  });

  it('trusts only chains to an uploaded CA certificate (or Node\'s roots)', async () => {
    const refused = await validate(noRevocation, '', stranger.cert);
    assert.deepEqual([refused.status, refused.reason, JSON.parse(refused.body).message], [401, 'ClientCertificateNotTrusted', 'Invalid client certificate.']);
    assert.equal((await validate(`${noRevocation} validate-trust="false"`, '', stranger.cert)).status, 200);
  });

  it('builds the chain through intermediates the caller sent', async () => {
    const intermediate = new TestPki('Test Issuing CA', pki);
    try {
      const leaf = intermediate.issue('behind-intermediate');
      const run = (clientIntermediates?: string[]) =>
        runPolicies({ api: doc(`<validate-client-certificate ${noRevocation}><identities><identity issuer-subject="CN=Test Issuing CA" /></identities></validate-client-certificate>`), certificates }, { clientCertificate: leaf.cert, clientIntermediates });
      assert.equal((await run()).gw.lastError?.reason, 'ClientCertificateNotTrusted');
      assert.equal((await run([intermediate.ca.cert])).status, 200);
      assert.equal((await run([stranger.cert])).gw.lastError?.reason, 'ClientCertificateNotTrusted');
    } finally {
      intermediate.dispose();
    }
  });

  it('refuses an unknown revocation status by default, but not for a self-signed certificate', async () => {
    assert.equal((await validate('', '', good.cert)).reason, 'ClientCertificateRevocationUnknown');
    assert.equal((await validate('validate-trust="false"', '', pki.ca.cert)).status, 200);
  });

  it('matches identities: all claims of one identity, any identity', async () => {
    const v = (identities: string) => validate(noRevocation, identities, good.cert).then((r) => r.status);
    assert.equal(await v(`<identity thumbprint="${good.thumbprint.toLowerCase()}" />`), 200);
    assert.equal(await v(`<identity serial-number="${good.serialNumber}" />`), 200);
    assert.equal(await v('<identity common-name="CLIENT-A" />'), 200);
    assert.equal(await v('<identity subject="O=Contoso, CN=client-a" />'), 200);
    assert.equal(await v('<identity subject="CN=client-a" />'), 401);
    assert.equal(await v('<identity dns-name="a.clients.test" />'), 200);
    assert.equal(await v('<identity dns-name="client-a" />'), 401, 'with subjectAltName DNS names the CN is not a DNS name');
    assert.equal(await v('<identity issuer-subject="CN=Test Root" />'), 200);
    assert.equal(await v(`<identity issuer-thumbprint="${pki.ca.thumbprint}" />`), 200);
    assert.equal(await v('<identity issuer-certificate-id="test-root" />'), 200);
    assert.equal(await v('<identity common-name="client-a" issuer-subject="CN=Other Root" />'), 401, 'every claim of an identity must hold');
    assert.equal(await v('<identity common-name="nobody" /><identity common-name="client-a" issuer-certificate-id="test-root" />'), 200, 'one identity is enough');
    const mismatch = await validate(noRevocation, '<identity common-name="nobody" />', good.cert);
    assert.equal(mismatch.reason, 'ClientCertificateIdentityMismatch');
    // The issuer check is by signature, not by name: another CA with the same name is not the issuer.
    assert.equal((await validate(`${noRevocation} validate-trust="false"`, '<identity issuer-certificate-id="test-root" />', stranger.cert)).status, 401);
  });

  it('ignore-error continues with the failure recorded nowhere but the trace', async () => {
    assert.deepEqual(await validate('ignore-error="true"', '', undefined), { status: 200, body: 'passed', reason: undefined });
  });

  it('gives context.Request.Certificate as an X509Certificate2 (null without one)', async () => {
    const expression = '@{ var c = context.Request.Certificate; return c == null ? "none" : c.Subject + "|" + c.Issuer + "|" + c.Thumbprint + "|" + c.SerialNumber + "|" + c.NotAfter.Year + "|" + c.GetNameInfo(X509NameType.DnsName, false) + "|" + c.Verify(); }';
    const run = (clientCertificate?: string) =>
      runPolicies({ api: `<policies><inbound><return-response><set-body>${expression.replace(/"/g, '&quot;')}</set-body></return-response></inbound><backend /><outbound /><on-error /></policies>` }, { clientCertificate });
    assert.equal((await run()).body, 'none');
    const x509 = new X509Certificate(good.cert);
    assert.equal((await run(good.cert)).body, `O=Contoso, CN=client-a|CN=Test Root|${good.thumbprint}|${good.serialNumber}|${new Date(x509.validTo).getUTCFullYear()}|a.clients.test|False`);
  });

  it('lists the uploaded certificates in context.Deployment.Certificates, by thumbprint', async () => {
    const expression = '@(context.Deployment.Certificates.Count + "|" + context.Deployment.Certificates.Any(c => c.Value.Thumbprint == context.Request.Certificate.Thumbprint) + "|" + context.Deployment.Certificates["' + pki.ca.thumbprint + '"].Subject)';
    const run = (clientCertificate: string) =>
      runPolicies({ api: `<policies><inbound><return-response><set-body>${expression.replace(/"/g, '&quot;')}</set-body></return-response></inbound><backend /><outbound /><on-error /></policies>`, certificates }, { clientCertificate });
    assert.equal((await run(pki.ca.cert)).body, '1|True|CN=Test Root');
    assert.equal((await run(good.cert)).body, '1|False|CN=Test Root');
  });

  const refused: Array<[string, RegExp]> = [
    ['<validate-client-certificate validate-trust="@(true)" />', /expression/],
    ['<validate-client-certificate><identities><identity /></identities></validate-client-certificate>', /at least one claim/],
    ['<validate-client-certificate><identities><identity issuer-certificate-id="ghost" /></identities></validate-client-certificate>', /Certificate with id 'ghost' could not be found/],
    ['<validate-client-certificate><identities><identity issuer-certificate-id="test-root" issuer-subject="CN=x" /></identities></validate-client-certificate>', /cannot be combined/],
    ['<validate-client-certificate><identities><identity colour="red" /></identities></validate-client-certificate>', /'colour' attribute is not declared/],
    ['<validate-client-certificate><identities><identity common-name="@(&quot;x&quot;)" /></identities></validate-client-certificate>', /does not accept policy expressions/],
    ['<validate-client-certificate><identities><who common-name="x" /></identities></validate-client-certificate>', /'who' is not allowed/],
    ['<validate-client-certificate><identity common-name="x" /></validate-client-certificate>', /'identity' is not allowed in 'validate-client-certificate'/],
    [`<validate-client-certificate><identities>${'<identity common-name="x" />'.repeat(11)}</identities></validate-client-certificate>`, /At most 10/],
  ];
  for (const [xml, reason] of refused) {
    it(`refuses ${xml.slice(0, 110)}`, () => {
      assert.match(expectCompileError(doc(xml), 'api', { certificates }).reason, reason);
    });
  }
});

describe('validate-client-certificate: revocation lists', () => {
  let server: Server;
  let hits = 0;
  let serving = true;
  let fresh: ReturnType<TestPki['issue']>;
  let revoked: ReturnType<TestPki['issue']>;
  let unreachable: ReturnType<TestPki['issue']>;
  before(async () => {
    server = createServer((req, res) => {
      hits++;
      if (!serving || req.url !== '/root.crl') return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'application/pkix-crl' }).end(pki.crl());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    fresh = pki.issue('fresh', { crlUrl: `${base}/root.crl` });
    revoked = pki.issue('revoked', { crlUrl: `${base}/root.crl` });
    unreachable = pki.issue('unreachable', { crlUrl: `${base}/missing.crl` });
    pki.revoke(revoked);
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('passes a certificate the list does not name and refuses the one it names', async () => {
    assert.equal((await validate('', '', fresh.cert)).status, 200);
    const refused = await validate('', '', revoked.cert);
    assert.deepEqual([refused.status, refused.reason], [401, 'ClientCertificateRevoked']);
  });

  it('takes a list made a little after the request started (clock skew up to 5 minutes), not one made later', async () => {
    // openssl dates the list when it is served: the list is newer than the request's time.
    const cert = new X509Certificate(revoked.cert);
    const serial = x509FromDer(new Uint8Array(cert.raw)).serial;
    const issuer = new X509Certificate(pki.ca.cert);
    assert.equal(await new RevocationLists().status(cert, serial, issuer, Date.now() - 60_000), 'revoked');
    assert.equal(await new RevocationLists().status(cert, serial, issuer, Date.now() - 10 * 60_000), 'unknown');
  });

  it('keeps the list until its next update, and a failed fetch for a minute', async () => {
    const before = hits;
    serving = false;
    assert.equal((await validate('', '', fresh.cert)).status, 200, 'the kept list still answers');
    assert.equal(hits, before, 'no new fetch');
    assert.equal((await validate('', '', unreachable.cert)).reason, 'ClientCertificateRevocationUnknown');
    assert.equal((await validate('', '', unreachable.cert)).reason, 'ClientCertificateRevocationUnknown');
    assert.equal(hits, before + 1, 'the failure is remembered');
    serving = true;
  });

  it('does not fetch lists named by a certificate of an unknown issuer', async () => {
    const before = hits;
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const foreign = otherPki.issue('foreign', { crlUrl: `${base}/root.crl` });
    assert.equal((await validate('validate-trust="false"', '', foreign.cert)).reason, 'ClientCertificateRevocationUnknown');
    assert.equal(hits, before);
  });
});
