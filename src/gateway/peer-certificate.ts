/**
 * The certificate a caller presented in its TLS handshake, as DER, and the intermediate
 * certificates it sent along: what `context.Request.Certificate` and
 * validate-client-certificate read. Only a listener host name that negotiates client
 * certificates asks for one (network/gateway-listeners.ts); the handshake itself accepts any
 * certificate, so policies decide what is trusted.
 *
 * Both come from one getPeerCertificate(true): after getPeerX509Certificate() has been called
 * on a socket, Node 20's detailed certificate no longer links its issuers.
 */
import type { DetailedPeerCertificate, TLSSocket } from 'node:tls';

/** The most certificates taken from the caller's chain after its own. */
const maxIntermediates = 8;

export interface PeerCertificates {
  /** The caller's certificate; absent when it sent none. */
  certificate?: Uint8Array;
  /** The certificates it sent after its own, in order (Node may end the list with a root it trusts). */
  intermediates: Uint8Array[];
}

export function peerCertificates(socket: TLSSocket): PeerCertificates {
  const leaf = socket.getPeerCertificate(true) as DetailedPeerCertificate | undefined;
  if (!leaf || !leaf.raw) return { intermediates: [] };
  const intermediates: Uint8Array[] = [];
  let current = leaf;
  while (intermediates.length < maxIntermediates) {
    const next: DetailedPeerCertificate | undefined = current.issuerCertificate;
    // Node ends the chain with a certificate that is its own issuer.
    if (!next || next === current || !next.raw) break;
    intermediates.push(new Uint8Array(next.raw));
    current = next;
  }
  return { certificate: new Uint8Array(leaf.raw), intermediates };
}
