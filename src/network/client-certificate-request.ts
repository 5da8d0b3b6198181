/**
 * Asking a caller for a client certificate per host name (Azure's hostname setting
 * `negotiateClientCertificate`). Node sets `requestCert` once per server, but the host name is
 * known only in the SNI callback, which runs inside the handshake; OpenSSL allows the verify
 * mode to change there (nginx's `ssl_verify_client` per server block does the same), and Node
 * calls SNICallback with the TLS socket as `this`, whose native handle sets it. The handle is
 * Node's internal API, so its absence is an error at once rather than a silent "never asks"
 * (test/network/client-certificate-request.test.ts holds it on the Node version in use).
 */
import type { TLSSocket } from 'node:tls';

interface NativeTlsHandle {
  setVerifyMode(requestCert: boolean, rejectUnauthorized: boolean): void;
}

/** Makes the handshake in progress on `socket` ask (or not) for a client certificate; any certificate is accepted. */
export function askForClientCertificate(socket: TLSSocket, ask: boolean): void {
  const handle = (socket as unknown as { _handle?: Partial<NativeTlsHandle> | null })._handle;
  if (!handle || typeof handle.setVerifyMode !== 'function') {
    if (!ask) return;
    throw new Error('This Node.js version does not let the gateway ask for client certificates per host name.');
  }
  handle.setVerifyMode(ask, false);
}
