/**
 * Opens the `data` of a `certificates` resource as Azure's CertificateContract shows it
 * (subject, thumbprint, expiration date), in the three forms Gatehouse accepts:
 *
 * - a PKCS#12 (`.pfx`/`.p12`) file, base64, with its `password` (Azure's documented form);
 * - PEM text (or PEM text in base64): a `CERTIFICATE` block, optionally with its private key
 *   (`PRIVATE KEY`, `RSA PRIVATE KEY`, `EC PRIVATE KEY`, or `ENCRYPTED PRIVATE KEY` opened
 *   with `password`);
 * - a DER certificate (`.cer`), base64: public only, for checking others' certificates
 *   (validate-client-certificate's trust and `issuer-certificate-id`), as Azure's CA
 *   certificates are.
 *
 * Node's own TLS stack opens a file with a key, so what is accepted here is what the gateway
 * can present to a backend.
 */
import { X509Certificate } from 'node:crypto';
import { createSecureContext } from 'node:tls';
import { checkPkcs12Work, Pkcs12WorkTooLarge } from './pkcs12-work-limit.js';

/** What Azure shows of a certificate, and whether it can be presented (has its private key). */
export interface CertificateDetails {
  /** The subject, most specific part first (`CN=client, O=Contoso`), as Azure shows it. */
  subject: string;
  /** SHA-1 of the certificate, upper-case hex without separators. */
  thumbprint: string;
  /** ISO 8601 with seconds, UTC (`2027-01-06T03:30:53Z`). */
  expirationDate: string;
  /** True for a PFX and for PEM with its key; false for a public certificate. */
  hasPrivateKey: boolean;
}

/** The key material the gateway presents: a PFX, or PEM certificate and key. */
export type CertificateMaterial =
  | { format: 'pfx'; pfx: Buffer; password?: string }
  | { format: 'pem'; cert: string; key?: string; password?: string }
  | { format: 'cer'; der: Buffer };

/** Why certificate data cannot be used; `field` is the request property to blame. */
export class CertificateProblem extends Error {
  constructor(
    readonly field: 'data' | 'password',
    message: string,
  ) {
    super(message);
    this.name = 'CertificateProblem';
  }
}

const pemCertificatePattern = /-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\s]+-----END CERTIFICATE-----/;
const pemKeyPattern = /-----BEGIN ((?:RSA |EC |ENCRYPTED )?PRIVATE KEY)-----[A-Za-z0-9+/=\s:,\-]+?-----END \1-----/;

/** Splits `data` into the material it holds; throws CertificateProblem when it is none of the forms. */
export function certificateMaterial(data: string, password: string | undefined): CertificateMaterial {
  const text = data.trim();
  if (text.startsWith('-----BEGIN ')) return pemMaterial(text, password);
  if (text === '' || !/^[A-Za-z0-9+/\s]*={0,2}$/.test(text)) {
    throw new CertificateProblem('data', "'data' must be a base64-encoded .pfx or .cer file, or PEM text.");
  }
  const bytes = Buffer.from(text, 'base64');
  if (bytes.subarray(0, 11).toString('latin1') === '-----BEGIN ') return pemMaterial(bytes.toString('latin1'), password);
  if (isDerCertificate(bytes)) return { format: 'cer', der: bytes };
  return { format: 'pfx', pfx: bytes, password };
}

function pemMaterial(text: string, password: string | undefined): CertificateMaterial {
  const cert = pemCertificatePattern.exec(text)?.[0];
  if (!cert) throw new CertificateProblem('data', "'data' holds PEM text without a CERTIFICATE block.");
  const key = pemKeyPattern.exec(text)?.[0];
  return { format: 'pem', cert, key, password };
}

function isDerCertificate(bytes: Buffer): boolean {
  try {
    new X509Certificate(bytes);
    return true;
  } catch {
    return false;
  }
}

/** Reads certificate data; throws CertificateProblem for bad encoding, a damaged file, a wrong password or a PFX asking for too much work. */
export function readCertificateData(data: string, password: string | undefined): CertificateDetails {
  const material = certificateMaterial(data, password);
  if (material.format === 'cer') {
    if (password !== undefined && password !== '') throw new CertificateProblem('password', "A .cer certificate has no private key to open: 'password' must be left out.");
    return { ...detailsOf(new X509Certificate(material.der)), hasPrivateKey: false };
  }
  if (material.format === 'pem' && !material.key) {
    let x509: X509Certificate;
    try {
      x509 = new X509Certificate(material.cert);
    } catch (err) {
      throw new CertificateProblem('data', `'data' holds a damaged PEM certificate (${(err as Error).message}).`);
    }
    return { ...detailsOf(x509), hasPrivateKey: false };
  }
  if (material.format === 'pfx') refuseExcessiveWork(material.pfx, material.password);
  return { ...detailsOf(new X509Certificate(presentedCertificate(material))), hasPrivateKey: true };
}

/** OpenSSL does not bound a PFX's iteration counts either: a hostile file is refused before it opens it. */
function refuseExcessiveWork(pfx: Buffer, password: string | undefined): void {
  try {
    checkPkcs12Work(pfx, password ?? '');
  } catch (err) {
    if (err instanceof Pkcs12WorkTooLarge) throw new CertificateProblem('data', `'data' is refused: ${err.message}.`);
    throw err;
  }
}

/** Opens material with a key as the gateway would present it; answers the leaf's DER. */
export function presentedCertificate(material: CertificateMaterial): Buffer {
  if (material.format === 'cer') throw new CertificateProblem('data', "The certificate has no private key: it cannot be presented as a client certificate.");
  let der: Buffer | null | undefined;
  try {
    const context =
      material.format === 'pfx'
        ? createSecureContext({ pfx: material.pfx, passphrase: material.password ?? '' })
        : createSecureContext({ cert: material.cert, key: material.key, passphrase: material.password });
    // The context's own certificate: the leaf the file carries with its key.
    der = (context.context as { getCertificate?: () => Buffer | null }).getCertificate?.();
  } catch (err) {
    const reason = (err as Error).message;
    if (/mac verify failure|bad decrypt|invalid password|bad password/i.test(reason)) {
      throw new CertificateProblem('password', 'The password of the certificate is not valid for its data.');
    }
    if (material.format === 'pem') throw new CertificateProblem('data', `'data' holds PEM text the gateway cannot use (${reason}).`);
    throw new CertificateProblem('data', `'data' is not a valid .pfx file (${reason}).`);
  }
  if (!der) throw new CertificateProblem('data', "'data' holds no certificate with its private key.");
  return der;
}

function detailsOf(x509: X509Certificate): Omit<CertificateDetails, 'hasPrivateKey'> {
  return {
    subject: x509.subject.split('\n').filter(Boolean).reverse().join(', '),
    thumbprint: x509.fingerprint.replace(/:/g, '').toUpperCase(),
    expirationDate: new Date(x509.validTo).toISOString().replace(/\.\d{3}Z$/, 'Z'),
  };
}

/** The certificate `data` holds (with or without its key), for checking others against it. */
export function certificateOf(data: string, password: string | undefined): X509Certificate {
  const material = certificateMaterial(data, password);
  if (material.format === 'cer') return new X509Certificate(material.der);
  if (material.format === 'pem') return new X509Certificate(material.cert);
  return new X509Certificate(presentedCertificate(material));
}
