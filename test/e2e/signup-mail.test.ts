/**
 * Sign-up, confirmation and password reset end to end (docs/sign-up.md): a real `gatehouse
 * start` with `--smtp` sends through a real SMTP server (smtp-server on loopback, STARTTLS with
 * a test CA the process trusts, password authentication); the test reads each mail with
 * mailparser and follows its link as the portal would, and once through the developer portal's
 * relay. Without `--smtp` the mails land in the data folder's outbox as private `.eml` files,
 * their links pointing where the portal listens.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, statSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { TestPki } from '../helpers/test-pki.js';
import { outboxFiles, parseMail, portalLinkIn, type ReadMail } from '../helpers/mail-links.js';
import { startGatehouseProcess, type GatehouseProcess } from './helpers/gatehouse-process.js';
import { managementClient } from './helpers/management-client.js';
import { waitFor } from './helpers/wait-for.js';

const service = '/subscriptions/sub-e2e/resourceGroups/rg-e2e/providers/Microsoft.ApiManagement/service/gatehouse';
const portalUrl = 'https://portal.example.test';
const smtpPassword = 'smtp-s3cret-pw';

interface Received extends ReadMail {
  envelopeTo: string[];
  secure: boolean;
  user: string | undefined;
}

/** Calls the management API without the admin token. */
function caller(gh: GatehouseProcess) {
  const url = /management API \(http\): (\S+)/.exec(gh.stdout.join('\n'))![1]!;
  return async (method: string, path: string, options: { body?: unknown; authorization?: string } = {}) => {
    const res = await fetch(`${url}${service}/${path}?api-version=2024-05-01`, {
      method,
      headers: { ...(options.body === undefined ? {} : { 'content-type': 'application/json' }), ...(options.authorization ? { authorization: options.authorization } : {}) },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const text = await res.text();
    return { status: res.status, text, body: text ? JSON.parse(text) : undefined, headers: res.headers };
  };
}

const basic = (email: string, password: string) => `Basic ${Buffer.from(`${email}:${password}`).toString('base64')}`;
const linkParts = (mail: ReadMail) => {
  const link = portalLinkIn(mail, portalUrl);
  return { page: link.pathname, userId: link.searchParams.get('userId')!, ticket: link.searchParams.get('ticket')! };
};

describe('sign-up and password reset through a real SMTP server', () => {
  const pki = new TestPki('Gatehouse SMTP Test CA');
  const received: Received[] = [];
  let smtp: SMTPServer;
  let gh: GatehouseProcess;
  let call: ReturnType<typeof caller>;

  /** The mails received so far, once there are at least `count`. */
  const mails = async (count: number): Promise<Received[]> => {
    await waitFor(`${count} mail(s) at the SMTP server`, () => received.length >= count, gh);
    return received;
  };

  before(async () => {
    const certificate = pki.issue('127.0.0.1', { altNames: ['IP:127.0.0.1'] });
    smtp = new SMTPServer({
      key: certificate.key,
      cert: certificate.cert,
      authMethods: ['PLAIN', 'LOGIN'],
      onAuth(auth, _session, callback) {
        if (auth.username === 'portal' && auth.password === smtpPassword) callback(null, { user: auth.username });
        else callback(new Error('Invalid username or password'));
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          parseMail(Buffer.concat(chunks))
            .then((mail) => received.push({ ...mail, envelopeTo: session.envelope.rcptTo.map((r) => r.address), secure: session.secure, user: session.user as string | undefined }))
            .then(() => callback(), callback);
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve()));
    const port = (smtp.server.address() as AddressInfo).port;
    const from = encodeURIComponent('Portal <portal@example.test>');
    gh = await startGatehouseProcess(['--smtp', `smtp://portal:${smtpPassword}@127.0.0.1:${port}?from=${from}`, '--portal-url', `${portalUrl}/`], {
      env: { NODE_EXTRA_CA_CERTS: pki.file('ca.pem', pki.ca.cert) },
    });
    call = caller(gh);
  });
  after(async () => {
    await gh?.stop();
    await new Promise<void>((resolve) => smtp?.close(() => resolve()));
    pki.dispose();
  });

  it('prints where mails go with the password masked, and never the password', () => {
    const banner = gh.stdout.join('\n');
    assert.match(banner, /account mails \(sign-up, password reset\): sent through smtp:\/\/portal:\*\*\*@127\.0\.0\.1:\d+/);
    assert.match(banner, /links to https:\/\/portal\.example\.test\b/);
    assert.doesNotMatch(banner + gh.stderr.join(''), new RegExp(smtpPassword));
  });

  it('signs up, mails the confirmation over STARTTLS, and the link confirms and signs in', async () => {
    const signUp = await call('POST', 'identity/signup', { body: { email: 'ana@example.com', password: 'ana-password-1', firstName: 'Ana', lastName: 'Lima' }, authorization: 'Bearer ignored' });
    assert.equal(signUp.status, 202, signUp.text);
    assert.deepEqual(signUp.body, {});
    const [mail] = await mails(1);
    assert.deepEqual(mail!.envelopeTo, ['ana@example.com']);
    assert.equal(mail!.from, '"Portal" <portal@example.test>');
    assert.equal(mail!.secure, true, 'STARTTLS was used');
    assert.equal(mail!.user, 'portal', 'authenticated');
    assert.match(mail!.subject, /Confirm your gatehouse account/);
    const { page, userId, ticket } = linkParts(mail!);
    assert.equal(page, '/confirm');
    assert.match(userId, /^[0-9a-f]{24}$/);

    const confirmed = await call('POST', 'identity/confirm', { body: { userId, ticket } });
    assert.equal(confirmed.status, 200, confirmed.text);
    const token = /token="([^"]+)"/.exec(confirmed.headers.get('ocp-apim-sas-token') ?? '')?.[1];
    assert.ok(token);
    const identity = await call('GET', 'identity', { authorization: `SharedAccessSignature ${token}` });
    assert.deepEqual(identity.body, { id: userId });
    const self = await call('GET', `users/${userId}`, { authorization: `SharedAccessSignature ${token}` });
    assert.equal(self.status, 200, self.text);
    assert.equal(self.body.properties.email, 'ana@example.com');
    assert.equal(self.body.properties.state, 'active');
    assert.equal((await call('POST', 'identity/confirm', { body: { userId, ticket } })).status, 400, 'the ticket is spent');
  });

  it('resets a password by the mailed link: the old one is refused, the new one works, the ticket is single-use', async () => {
    const already = received.length;
    assert.equal((await call('POST', 'identity/passwordReset', { body: { email: 'Ana@Example.com' } })).status, 202);
    const mail = (await mails(already + 1))[already]!;
    assert.match(mail.subject, /Reset your gatehouse password/);
    const { page, userId, ticket } = linkParts(mail);
    assert.equal(page, '/reset-password');
    const reset = await call('POST', 'identity/passwordReset/confirm', { body: { userId, ticket, password: 'ana-password-2' } });
    assert.equal(reset.status, 204, reset.text);
    assert.equal((await call('GET', 'identity', { authorization: basic('ana@example.com', 'ana-password-1') })).status, 401);
    assert.equal((await call('GET', 'identity', { authorization: basic('ana@example.com', 'ana-password-2') })).status, 200);
    const reused = await call('POST', 'identity/passwordReset/confirm', { body: { userId, ticket, password: 'ana-password-3' } });
    assert.equal(reused.status, 400);
    assert.equal(reused.body.error.code, 'InvalidTicket');
  });

  it('answers a taken address as a new one and mails its owner that someone tried', async () => {
    const already = received.length;
    const taken = await call('POST', 'identity/signup', { body: { email: 'ana@example.com', password: 'stranger-password', firstName: 'Eve', lastName: 'X' } });
    const fresh = await call('POST', 'identity/signup', { body: { email: 'ben@example.com', password: 'ben-password-1', firstName: 'Ben', lastName: 'Roe' } });
    assert.equal(taken.status, 202);
    assert.equal(taken.status, fresh.status);
    assert.equal(taken.text, fresh.text);
    const newMails = (await mails(already + 2)).slice(already);
    const toAna = newMails.find((m) => m.envelopeTo[0] === 'ana@example.com')!;
    assert.ok(toAna, 'a mail to the owner');
    assert.match(toAna.text, /already has an account/);
    assert.equal(portalLinkIn(toAna, portalUrl).href, `${portalUrl}/reset-password`);
    assert.ok(newMails.some((m) => m.envelopeTo[0] === 'ben@example.com' && /Confirm/.test(m.subject)));
    // Still one user with Ana's address, and her password unchanged.
    const admin = managementClient(gh);
    const users = await admin('GET', 'users');
    assert.equal(users.body.value.filter((u: { properties: { email: string } }) => u.properties.email.toLowerCase() === 'ana@example.com').length, 1);
    assert.equal((await call('GET', 'identity', { authorization: basic('ana@example.com', 'ana-password-2') })).status, 200);
  });

  it('works through the developer portal relay: sign up, confirm from the mail, and the portal session is signed in', async () => {
    const portal = /developer portal: (http:\/\/\S+)/.exec(gh.stdout.join('\n'))![1]!;
    const post = (path: string, body: unknown) => fetch(`${portal}/portal-api/identity/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const already = received.length;
    const signUp = await post('signup', { email: 'cat@example.com', password: 'cat-password-1', firstName: 'Cat', lastName: 'W' });
    assert.equal(signUp.status, 202, await signUp.text());
    const mail = (await mails(already + 1))[already]!;
    assert.deepEqual(mail.envelopeTo, ['cat@example.com']);
    const { userId, ticket } = linkParts(mail);
    const confirmed = await post('confirm', { userId, ticket });
    assert.equal(confirmed.status, 200);
    const session = (await confirmed.json()) as { signedIn: boolean; userId: string };
    assert.deepEqual([session.signedIn, session.userId], [true, userId]);
    assert.match(confirmed.headers.get('set-cookie') ?? '', /HttpOnly/i);
  });
});

describe('sign-up without --smtp', () => {
  let gh: GatehouseProcess;
  let data: string;
  before(async () => {
    data = mkdtempSync(join(tmpdir(), 'gatehouse-data-'));
    // No --portal-url: the links point where the portal listens (port 0: the port it picked).
    gh = await startGatehouseProcess(['--data', data]);
  });
  after(async () => {
    await gh?.stop();
  });

  it('writes the mail to <data>/outbox as a private .eml file holding the link, and says so at start', async () => {
    const outbox = join(data, 'outbox');
    assert.ok(gh.stdout.some((line) => line.includes(`written to ${outbox} for development`)), gh.stdout.join('\n'));
    const signUp = await caller(gh)('POST', 'identity/signup', { body: { email: 'cy@example.com', password: 'cy-password-1', firstName: 'Cy', lastName: 'D' } });
    assert.equal(signUp.status, 202, signUp.text);
    await waitFor('an .eml file in the outbox', () => outboxFiles(outbox).length === 1, gh);
    const [file] = outboxFiles(outbox);
    assert.equal(statSync(file!).mode & 0o777, 0o600);
    assert.equal(statSync(outbox).mode & 0o777, 0o700);
    const mail = await parseMail(readFileSync(file!));
    assert.equal(mail.to, 'cy@example.com');
    const portal = /developer portal: (http:\/\/127\.0\.0\.1:\d+)/.exec(gh.stdout.join('\n'))?.[1];
    assert.ok(portal && !portal.endsWith(':0'), gh.stdout.join('\n'));
    assert.ok(gh.stdout.some((line) => line.includes(`links to ${portal}`)), 'the banner names the portal it links to');
    const link = portalLinkIn(mail, portal);
    assert.equal(link.pathname, '/confirm');
    const confirmed = await caller(gh)('POST', 'identity/confirm', { body: { userId: link.searchParams.get('userId'), ticket: link.searchParams.get('ticket') } });
    assert.equal(confirmed.status, 200, confirmed.text);
  });
});
