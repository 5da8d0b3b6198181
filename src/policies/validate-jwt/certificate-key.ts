/**
 * The keys of a `certificates` resource for validate-jwt's `<key certificate-id="…"/>`: the
 * certificate's public key (its data holds a PFX's leaf, a PEM or a public `.cer`) verifies
 * signatures; the private key of a certificate stored as PEM with its key decrypts tokens. Data is
 * opened as the certificates resource opens it (core/certificate-data.ts).
 */
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { certificateMaterial, certificateOf } from '../../core/certificate-data.js';
import type { ClientCertificate } from '../../model/resources.js';

/** The certificate's public key; throws an Error saying why its data cannot give one. */
export function certificatePublicKey(certificate: ClientCertificate): KeyObject {
  return certificateOf(certificate.data, certificate.password).publicKey;
}

/**
 * The private key of a certificate stored as PEM text with its key. Node cannot take a private
 * key out of a PKCS#12 file (only its TLS stack opens one, and it gives no key back), so a PFX is
 * refused; so is a certificate without a key. Throws an Error saying why.
 */
export function certificatePrivateKey(certificate: ClientCertificate): KeyObject {
  const material = certificateMaterial(certificate.data, certificate.password);
  if (material.format === 'pfx') {
    throw new Error('Gatehouse cannot read the private key of a certificate stored as a PFX file; store it as PEM text with its private key (a CERTIFICATE block and its PRIVATE KEY block) to decrypt with it');
  }
  if (material.format === 'cer' || !material.key) throw new Error('the certificate has no private key to decrypt with; store it as PEM text with its private key');
  try {
    return createPrivateKey({ key: material.key, format: 'pem', passphrase: material.password });
  } catch (err) {
    throw new Error(`its private key cannot be opened (${(err as Error).message})`);
  }
}
