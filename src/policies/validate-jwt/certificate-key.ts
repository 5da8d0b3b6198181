/**
 * The keys of a `certificates` resource for validate-jwt's `<key certificate-id="…"/>`: the
 * certificate's public key (its data holds a PFX's leaf, a PEM or a public `.cer`) verifies
 * signatures; the private key of a certificate stored as a PFX or as PEM with its key decrypts
 * tokens. Data is opened as the certificates resource opens it (core/certificate-data.ts), a PFX's
 * key by core/pkcs12-private-key.ts.
 */
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { certificateMaterial, certificateOf, presentedCertificate } from '../../core/certificate-data.js';
import { pkcs12PrivateKey } from '../../core/pkcs12-private-key.js';
import type { ClientCertificate } from '../../model/resources.js';

/** The certificate's public key; throws an Error saying why its data cannot give one. */
export function certificatePublicKey(certificate: ClientCertificate): KeyObject {
  return certificateOf(certificate.data, certificate.password).publicKey;
}

/**
 * The private key of a certificate stored as a PFX (the key of the leaf the gateway presents, whose
 * thumbprint the resource shows) or as PEM text with its key; a public certificate has none.
 * Throws an Error saying why.
 */
export function certificatePrivateKey(certificate: ClientCertificate): KeyObject {
  const material = certificateMaterial(certificate.data, certificate.password);
  if (material.format === 'pfx') return pkcs12PrivateKey(material.pfx, material.password, new X509Certificate(presentedCertificate(material)));
  if (material.format === 'cer' || !material.key) throw new Error('the certificate has no private key to decrypt with; store it as a PFX file with its password, or as PEM text with its private key');
  try {
    return createPrivateKey({ key: material.key, format: 'pem', passphrase: material.password });
  } catch (err) {
    throw new Error(`its private key cannot be opened (${(err as Error).message})`);
  }
}
