/**
 * The public key of a `certificates` resource, for validate-jwt's `<key certificate-id="…"/>`:
 * the certificate its data holds (a PFX's leaf, a PEM or a public `.cer`), opened as the
 * certificates resource opens it (core/certificate-data.ts).
 */
import type { KeyObject } from 'node:crypto';
import { certificateOf } from '../../core/certificate-data.js';
import type { ClientCertificate } from '../../model/resources.js';

/** The certificate's public key; throws an Error saying why its data cannot give one. */
export function certificatePublicKey(certificate: ClientCertificate): KeyObject {
  return certificateOf(certificate.data, certificate.password).publicKey;
}
