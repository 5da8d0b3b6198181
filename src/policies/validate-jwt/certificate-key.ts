/**
 * The public key of a `certificates` resource, for validate-jwt's `<key certificate-id="…"/>`:
 * the leaf certificate of its PFX, opened by Node's TLS stack as the gateway opens it for
 * backends (the private key stays in the PFX).
 */
import { X509Certificate, type KeyObject } from 'node:crypto';
import { createSecureContext } from 'node:tls';
import type { ClientCertificate } from '../../model/resources.js';

/** The certificate's public key; throws an Error saying why the PFX cannot give one. */
export function certificatePublicKey(certificate: ClientCertificate): KeyObject {
  const context = createSecureContext({ pfx: Buffer.from(certificate.pfx, 'base64'), passphrase: certificate.password ?? '' });
  const der = (context.context as { getCertificate?: () => Buffer | null }).getCertificate?.();
  if (!der) throw new Error('its file holds no certificate');
  return new X509Certificate(der).publicKey;
}
