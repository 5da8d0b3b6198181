/**
 * Opens a PKCS#12 (PFX) file with its password, as Azure does when a `certificates` resource is
 * created, and reads what Azure's CertificateContract shows of it: subject, thumbprint and
 * expiration date. Node's own TLS stack opens it, so a file the gateway could not present to a
 * backend is refused here, at the management API, instead of failing requests later.
 */
import { X509Certificate } from 'node:crypto';
import { createSecureContext } from 'node:tls';

/** What Azure shows of a certificate. */
export interface PfxDetails {
  /** The subject, most specific part first (`CN=client, O=Contoso`), as Azure shows it. */
  subject: string;
  /** SHA-1 of the certificate, upper-case hex without separators. */
  thumbprint: string;
  /** ISO 8601 with seconds, UTC (`2027-01-06T03:30:53Z`). */
  expirationDate: string;
}

/** Why a PFX cannot be used; `field` is the request property to blame. */
export class PfxProblem extends Error {
  constructor(
    readonly field: 'data' | 'password',
    message: string,
  ) {
    super(message);
    this.name = 'PfxProblem';
  }
}

/** Reads a base64 PFX; throws PfxProblem for bad base64, a damaged file or a wrong password. */
export function readPfx(base64: string, password: string | undefined): PfxDetails {
  if (!/^[A-Za-z0-9+/\s]*={0,2}\s*$/.test(base64) || base64.trim() === '') {
    throw new PfxProblem('data', "'data' must be a base64-encoded .pfx file.");
  }
  let der: Buffer | undefined;
  try {
    const context = createSecureContext({ pfx: Buffer.from(base64, 'base64'), passphrase: password ?? '' });
    // The context's own certificate: the leaf the PFX carries with its key.
    der = (context.context as { getCertificate?: () => Buffer | null }).getCertificate?.() ?? undefined;
  } catch (err) {
    const reason = (err as Error).message;
    if (/mac verify failure|bad decrypt|invalid password/i.test(reason)) {
      throw new PfxProblem('password', 'The password of the certificate is not valid for its data.');
    }
    throw new PfxProblem('data', `'data' is not a valid .pfx file (${reason}).`);
  }
  if (!der) throw new PfxProblem('data', "'data' holds no certificate with its private key.");
  const x509 = new X509Certificate(der);
  return {
    subject: x509.subject.split('\n').filter(Boolean).reverse().join(', '),
    thumbprint: x509.fingerprint.replace(/:/g, '').toUpperCase(),
    expirationDate: new Date(x509.validTo).toISOString().replace(/\.\d{3}Z$/, 'Z'),
  };
}
