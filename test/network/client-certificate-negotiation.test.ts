/**
 * Asking callers for client certificates per HTTPS host name: `--negotiate-client-certificate`
 * marks --gateway-certificate host names, and the gateway's HTTPS server (the real one,
 * gatewayServerFactory) asks callers of those names for a certificate, accepts any, and asks
 * nobody else. The verify mode is changed in the SNI callback through Node's internal TLS
 * handle (client-certificate-request.ts): this test is what notices a Node.js version that
 * stops allowing it.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect, type TLSSocket } from 'node:tls';
import { parseStartOptions, UsageError } from '../../src/main/start-options.js';
import { gatewayServerFactory } from '../../src/network/gateway-listeners.js';
import { TestPki } from '../helpers/test-pki.js';

const pki = new TestPki();
const files = (name: string) => {
  const issued = pki.issue(name, { altNames: [`DNS:${name}`] });
  return `${pki.file(`${name}.crt`, issued.cert)},${pki.file(`${name}.key`, issued.key)}`;
};
const asking = files('ask.test');
const quiet = files('quiet.test');
const fallback = files('default.test');
const client = pki.issue('the-caller');

describe('--negotiate-client-certificate', () => {
  it('marks the --gateway-certificate bindings of the names given, and refuses a name without one', () => {
    const options = parseStartOptions(['--gateway-certificate', `ask.test=${asking}`, '--gateway-certificate', `*=${fallback}`, '--negotiate-client-certificate', 'ASK.test'], {});
    assert.deepEqual(options.gatewayCertificates.map((b) => [b.hostname, b.negotiateClientCertificate === true]), [['ask.test', true], ['*', false]]);
    const fromEnvironment = parseStartOptions(['--gateway-certificate', `ask.test=${asking}`, '--gateway-certificate', `*=${fallback}`], { GATEHOUSE_NEGOTIATE_CLIENT_CERTIFICATE: 'ask.test;*' });
    assert.deepEqual(fromEnvironment.gatewayCertificates.map((b) => b.negotiateClientCertificate === true), [true, true]);
    assert.throws(
      () => parseStartOptions(['--gateway-certificate', `ask.test=${asking}`, '--negotiate-client-certificate', 'other.test'], {}),
      (err: Error) => err instanceof UsageError && /'other\.test' names no --gateway-certificate host name/.test(err.message),
    );
  });
});

describe('the HTTPS listener asks per host name', () => {
  let server: Server;
  let port: number;
  before(async () => {
    const options = parseStartOptions(
      ['--gateway-certificate', `ask.test=${asking}`, '--gateway-certificate', `quiet.test=${quiet}`, '--gateway-certificate', `*=${fallback}`, '--negotiate-client-certificate', 'ask.test'],
      {},
    );
    const factory = gatewayServerFactory({ host: '127.0.0.1', httpPort: null, httpsPort: 0, certificates: options.gatewayCertificates }, (req, res) => {
      const peer = (req.socket as TLSSocket).getPeerCertificate();
      res.end(peer?.subject?.CN ? String(peer.subject.CN) : 'none');
    });
    server = factory('https');
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    pki.dispose();
  });

  /** Connects with `servername` (none for an IP) offering the caller's certificate, which goes only to a server that asks; answers what the handler saw. */
  async function seenBy(servername: string | undefined): Promise<string> {
    const socket = connect({ host: '127.0.0.1', port, servername, rejectUnauthorized: false, cert: client.cert, key: client.key });
    await new Promise<void>((resolve, reject) => socket.once('secureConnect', resolve).once('error', reject));
    socket.write(`GET / HTTP/1.1\r\nHost: ${servername ?? '127.0.0.1'}\r\nConnection: close\r\n\r\n`);
    const text = await new Promise<string>((resolve) => {
      let data = '';
      socket.on('data', (d) => (data += d)).on('end', () => resolve(data));
    });
    return text.slice(text.lastIndexOf('\n') + 1);
  }

  it('asks callers of ask.test, not those of quiet.test or without SNI', async () => {
    assert.equal(await seenBy('ask.test'), 'the-caller');
    assert.equal(await seenBy('quiet.test'), 'none');
    assert.equal(await seenBy(undefined), 'none');
    assert.equal(await seenBy('ask.test'), 'the-caller', 'the setting is per connection, not sticky');
  });
});
