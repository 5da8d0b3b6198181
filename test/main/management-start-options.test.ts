/**
 * The management plane's `start` flags and the files it keeps in the data folder: `--store`
 * (SQLite default, PostgreSQL URL with its schema), the admin token file (generated once, mode
 * 0600, refused when others can read it) and the development certificate (generated once,
 * valid for localhost and loopback addresses, reused on restart).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { chmodSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveAdminToken } from '../../src/main/admin-token.js';
import { devCertificate } from '../../src/main/dev-certificate.js';
import { parseStartOptions, UsageError } from '../../src/main/start-options.js';
import { parseStoreOption, redactStore } from '../../src/main/store-option.js';

const temp = () => mkdtempSync(join(tmpdir(), 'gatehouse-mgmt-opts-'));

describe('management start options', () => {
  it('defaults: HTTP 8081, HTTPS 8444, SQLite, no certificate or token given', () => {
    const o = parseStartOptions([], {});
    assert.equal(o.management.httpPort, 8081);
    assert.equal(o.management.httpsPort, 8444);
    assert.deepEqual(o.management.store, { kind: 'sqlite' });
    assert.equal(o.management.certificate, undefined);
    assert.equal(o.management.adminToken, undefined);
  });

  it('reads flags and their environment twins', () => {
    const o = parseStartOptions(['--management-port', '0', '--management-certificate', 'c.pem,k.pem', '--admin-token', 'a-long-enough-token-1'], { GATEHOUSE_MANAGEMENT_HTTPS_PORT: '9443' });
    assert.equal(o.management.httpPort, 0);
    assert.equal(o.management.httpsPort, 9443);
    assert.deepEqual(o.management.certificate, { certFile: 'c.pem', keyFile: 'k.pem' });
    assert.equal(o.management.adminToken, 'a-long-enough-token-1');
    assert.throws(() => parseStartOptions(['--management-https-port', 'x'], {}), UsageError);
    assert.throws(() => parseStartOptions(['--management-certificate', 'only-one.pem'], {}), /CERTFILE,KEYFILE/);
    assert.throws(() => parseStartOptions(['--admin-token', 'short'], {}), /at least 16/);
    assert.throws(() => parseStartOptions(['--store', 'mysql://x'], {}), /expected sqlite or postgres/);
  });

  it('picks the PostgreSQL schema from the URL, then GATEHOUSE_STORE_SCHEMA, then gatehouse', () => {
    assert.deepEqual(parseStoreOption('postgres://u:p@h:5432/db?schema=tenant_1', {}), { kind: 'postgres', connectionString: 'postgres://u:p@h:5432/db', schema: 'tenant_1' });
    assert.equal((parseStoreOption('postgresql://h/db', { GATEHOUSE_STORE_SCHEMA: 'from_env' }) as { schema: string }).schema, 'from_env');
    assert.equal((parseStoreOption('postgres://h/db', {}) as { schema: string }).schema, 'gatehouse');
    assert.throws(() => parseStoreOption('postgres://h/db?schema=bad-name', {}), /schema/);
    assert.equal(redactStore('postgres://user:secret@h/db'), 'postgres://user:***@h/db');
  });
});

describe('admin token file', () => {
  it('is generated once with mode 0600 and reused; the option wins', async () => {
    const dir = temp();
    const first = await resolveAdminToken({ dataDir: dir });
    assert.equal(first.source, 'generated');
    // Hexadecimal, so it never starts with a dash that a command line would read as an option.
    assert.match(first.token, /^[0-9a-f]{64}$/);
    assert.equal(statSync(first.path!).mode & 0o777, 0o600);
    const again = await resolveAdminToken({ dataDir: dir });
    assert.deepEqual([again.source, again.token], ['file', first.token]);
    assert.deepEqual(await resolveAdminToken({ dataDir: dir, given: 'given-token-0123456789' }), { token: 'given-token-0123456789', source: 'option' });
    chmodSync(first.path!, 0o644);
    await assert.rejects(resolveAdminToken({ dataDir: dir }), /readable by others/);
  });
});

describe('development certificate', () => {
  it('covers localhost and loopback, keeps its key private and is reused', async () => {
    const dir = temp();
    const made = await devCertificate(dir, '0.0.0.0');
    assert.equal(made.generated, true);
    const cert = new X509Certificate(made.cert);
    assert.ok(cert.checkHost('localhost'));
    assert.ok(cert.checkIP('127.0.0.1'));
    assert.ok(cert.checkIP('::1'));
    assert.equal(statSync(made.keyFile).mode & 0o777, 0o600);
    const reused = await devCertificate(dir, '0.0.0.0');
    assert.equal(reused.generated, false);
    assert.equal(reused.cert, made.cert);
    const forHost = await devCertificate(temp(), '10.1.2.3');
    assert.ok(new X509Certificate(forHost.cert).checkIP('10.1.2.3'));
  });
});
