/**
 * The certificate a caller presented in its TLS handshake, as DER: what
 * `context.Request.Certificate` and validate-client-certificate read. Only a listener hostname
 * that negotiates client certificates asks for one (network/gateway-listeners.ts); the
 * handshake itself accepts any certificate, so policies decide what is trusted.
 */
import type { TLSSocket } from 'node:tls';

export function peerCertificate(socket: TLSSocket): Uint8Array | undefined {
  const x509 = typeof socket.getPeerX509Certificate === 'function' ? socket.getPeerX509Certificate() : undefined;
  return x509 ? new Uint8Array(x509.raw) : undefined;
}
