/**
 * validate-client-certificate's `identity` element: the claims one identity makes about a
 * certificate (thumbprint, serial-number, common-name, subject, dns-name, issuer-subject,
 * issuer-thumbprint, issuer-certificate-id). A certificate matches an identity when every claim
 * it makes holds. Names compare as .NET prints them (X509Certificate2.Subject / Issuer), without
 * case; thumbprints and serial numbers as hex without case.
 */
import type { X509Certificate } from 'node:crypto';
import { certificateNames, type X509Certificate2Value } from '../../expressions/runtime/x509.js';

export const identityAttributeNames = ['thumbprint', 'serial-number', 'common-name', 'subject', 'dns-name', 'issuer-subject', 'issuer-thumbprint', 'issuer-certificate-id'] as const;
export type IdentityAttribute = (typeof identityAttributeNames)[number];

/** One identity: its claims, the issuer certificate `issuer-certificate-id` names resolved at compile time. */
export interface CertificateIdentity {
  claims: Partial<Record<Exclude<IdentityAttribute, 'issuer-certificate-id'>, string>>;
  issuerCertificate?: X509Certificate;
}

/** What a caller's certificate is checked against: .NET's view of it, Node's, and the issuer found for it (if any). */
export interface PresentedCertificate {
  value: X509Certificate2Value;
  node: X509Certificate;
  issuer: X509Certificate | undefined;
}

const hexOnly = (text: string) => text.replace(/[\s:]/g, '').toUpperCase();
/** A distinguished name as compared: no case, no spaces around separators. */
const nameKey = (text: string) => text.replace(/\s*([,=+])\s*/g, '$1').trim().toLowerCase();

/** The DNS names a certificate answers to: its subjectAltName DNS entries, else its CN (as GetNameInfo(DnsName)). */
function dnsNames(c: PresentedCertificate, commonName: string | undefined): string[] {
  const alt = (c.node.subjectAltName ?? '').split(', ').filter((s) => s.startsWith('DNS:')).map((s) => s.slice(4));
  return alt.length > 0 ? alt : commonName ? [commonName] : [];
}

/** True when every claim of `identity` holds for the certificate. */
export function matchesIdentity(c: PresentedCertificate, identity: CertificateIdentity): boolean {
  const names = certificateNames(c.value);
  const { claims } = identity;
  if (claims.thumbprint !== undefined && hexOnly(claims.thumbprint) !== c.value.thumbprint) return false;
  if (claims['serial-number'] !== undefined && hexOnly(claims['serial-number']) !== names.serialNumber) return false;
  if (claims['common-name'] !== undefined && (names.commonName ?? '').toLowerCase() !== claims['common-name'].toLowerCase()) return false;
  if (claims.subject !== undefined && nameKey(names.subject) !== nameKey(claims.subject)) return false;
  if (claims['dns-name'] !== undefined && !dnsNames(c, names.commonName).some((n) => n.toLowerCase() === claims['dns-name']!.toLowerCase())) return false;
  if (claims['issuer-subject'] !== undefined && nameKey(names.issuer) !== nameKey(claims['issuer-subject'])) return false;
  if (claims['issuer-thumbprint'] !== undefined) {
    const issuerThumbprint = c.issuer ? c.issuer.fingerprint.replace(/:/g, '') : undefined;
    if (issuerThumbprint !== hexOnly(claims['issuer-thumbprint'])) return false;
  }
  if (identity.issuerCertificate && !(c.node.checkIssued(identity.issuerCertificate) && c.node.verify(identity.issuerCertificate.publicKey))) return false;
  return true;
}
