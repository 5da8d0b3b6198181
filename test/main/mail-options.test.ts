/**
 * `--smtp` and `--portal-url` (mail-options.ts, smtp-url.ts): what `start` reads from them and
 * from their environment twins, the portal address made from the host and the portal's port, and
 * refusals that name the flag without repeating the SMTP password.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseStartOptions, UsageError } from '../../src/main/start-options.js';
import { maskSmtpUrl, parseSmtpUrl } from '../../src/main/smtp-url.js';
import { portalUrlFor } from '../../src/main/mail-options.js';

describe('--smtp', () => {
  it('reads host, port, TLS mode, credentials and sender', () => {
    const plain = parseStartOptions(['--smtp', 'smtp://mailer:p%40ss%3Aword@mail.example.com:2525?from=' + encodeURIComponent('Portal <portal@example.com>')], {}).mail.smtp!;
    assert.deepEqual(
      { host: plain.host, port: plain.port, secure: plain.secure, auth: plain.auth, from: plain.from },
      { host: 'mail.example.com', port: 2525, secure: false, auth: { user: 'mailer', pass: 'p@ss:word' }, from: 'Portal <portal@example.com>' },
    );
    assert.equal(plain.shown, 'smtp://mailer:***@mail.example.com:2525?from=Portal%20%3Cportal%40example.com%3E');
    const tls = parseSmtpUrl('SMTPS://relay.example.com');
    assert.deepEqual({ secure: tls.secure, port: tls.port, auth: tls.auth, from: tls.from }, { secure: true, port: undefined, auth: undefined, from: 'Gatehouse <noreply@localhost>' });
    assert.equal(parseSmtpUrl('smtp://[::1]:25').host, '::1');
  });

  it('comes from GATEHOUSE_SMTP when the command line has none; absent, mails go to the outbox', () => {
    assert.equal(parseStartOptions([], { GATEHOUSE_SMTP: 'smtp://env.example.com' }).mail.smtp?.host, 'env.example.com');
    assert.equal(parseStartOptions(['--smtp', 'smtp://cli.example.com'], { GATEHOUSE_SMTP: 'smtp://env.example.com' }).mail.smtp?.host, 'cli.example.com');
    assert.equal(parseStartOptions([], {}).mail.smtp, undefined);
  });

  it('refuses what is not an SMTP URL, naming the flag and never the password', () => {
    for (const bad of ['mail.example.com', 'http://u:hunter2secret@mail.example.com', 'smtp://u:hunter2secret@mail.example.com/path', 'smtp://u:hunter2secret@mail.example.com?pool=true', 'smtp://u:hunter2secret@h?from=' + encodeURIComponent('a\r\nBcc: x@y')]) {
      assert.throws(
        () => parseStartOptions(['--smtp', bad], {}),
        (err: Error) => err instanceof UsageError && /--smtp/.test(err.message) && !err.message.includes('hunter2secret'),
        bad,
      );
    }
    assert.throws(() => parseStartOptions([], { GATEHOUSE_SMTP: 'ftp://x' }), /GATEHOUSE_SMTP/);
  });

  it('masks the password, even one holding an @', () => {
    assert.equal(maskSmtpUrl('smtp://user:pa@ss@host:25'), 'smtp://user:***@host:25');
    assert.equal(maskSmtpUrl('smtps://user:secret@host'), 'smtps://user:***@host');
    assert.equal(maskSmtpUrl('smtp://host:25'), 'smtp://host:25');
  });
});

describe('--portal-url', () => {
  it('is not set unless given: links then point where the portal listens, a wildcard host read as loopback', () => {
    assert.equal(parseStartOptions([], {}).mail.portalUrl, undefined);
    assert.equal(portalUrlFor('127.0.0.1', 8082), 'http://127.0.0.1:8082');
    assert.equal(portalUrlFor('0.0.0.0', 9000), 'http://127.0.0.1:9000');
    assert.equal(portalUrlFor('::', 8082), 'http://[::1]:8082');
    assert.equal(portalUrlFor('10.1.2.3', 8443), 'http://10.1.2.3:8443');
  });

  it('overrides the default, without a trailing slash', () => {
    assert.equal(parseStartOptions(['--portal-url', 'https://developer.example.com/portal/'], {}).mail.portalUrl, 'https://developer.example.com/portal');
    assert.equal(parseStartOptions([], { GATEHOUSE_PORTAL_URL: 'https://dev.example.com' }).mail.portalUrl, 'https://dev.example.com');
  });

  it('refuses anything but a plain http(s) address', () => {
    for (const bad of ['developer.example.com', 'ftp://x', 'https://x/?a=1', 'https://x/#f', 'https://u:p@x']) {
      assert.throws(() => parseStartOptions(['--portal-url', bad], {}), /--portal-url/, bad);
    }
  });
});
