/**
 * `validate-client-certificate`: checks the certificate the caller presented over TLS (a host
 * name that negotiates client certificates; docs/tls.md) against validity dates, trust,
 * revocation and up to ten identities (reference §3, Access / auth). A certificate is valid when
 * every rule of the element's attributes holds and, when identities are given, every claim of
 * at least one identity holds. Trust: a chain, by name and signature, to Node's bundled root CAs
 * or to a CA certificate among the `certificates` resources (intermediates may be uploaded
 * too). Revocation: every certificate of the chain but the root is looked up in its issuer's
 * revocation list (revocation-lists.ts); a status that cannot be had fails, as in .NET.
 * Lists are fetched only from certificates whose issuer is known and whose signature holds, so
 * a caller cannot make the gateway fetch a URL of its choosing.
 */
import type { X509Certificate } from 'node:crypto';
import { certificateOf } from '../core/certificate-data.js';
import { systemAnchors, verifyChain, x509FromDer } from '../expressions/runtime/x509.js';
import { certificateById } from '../model/certificate-lookup.js';
import type { Certificate } from '../model/resources.js';
import { checkChildAttributes } from '../pipeline/child-attributes.js';
import { PolicyRuntimeError, type GatewayContext } from '../pipeline/gateway-context.js';
import type { AttributeSpec, PolicyCompileContext, PolicyModule } from '../pipeline/policy-module.js';
import { attribute, childElements, type XmlElement } from '../pipeline/xml.js';
import {
  identityAttributeNames,
  matchesIdentity,
  type CertificateIdentity,
  type PresentedCertificate,
} from './validate-client-certificate/certificate-identity.js';
import { RevocationLists } from './validate-client-certificate/revocation-lists.js';

const flag = (value: boolean): AttributeSpec => ({ type: 'boolean', default: value });
const identitySpecs: Readonly<Record<string, AttributeSpec>> = Object.fromEntries(identityAttributeNames.map((name) => [name, { type: 'string' } as AttributeSpec]));
const maxIdentities = 10;

/** Why a certificate is refused: Gatehouse's reasons (Azure documents none). */
class CertificateRefused extends Error {
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

/** The uploaded certificates as Node certificates, parsed once per Certificate object (one per snapshot). */
const parsed = new WeakMap<Certificate, X509Certificate | null>();
function uploaded(c: Certificate): X509Certificate | null {
  let x509 = parsed.get(c);
  if (x509 === undefined) {
    try {
      x509 = certificateOf(c.data, c.password);
    } catch {
      x509 = null;
    }
    parsed.set(c, x509);
  }
  return x509;
}

export const validateClientCertificate: PolicyModule = {
  name: 'validate-client-certificate',
  sections: ['inbound'],
  attributes: {
    'validate-revocation': flag(true),
    'validate-trust': flag(true),
    'validate-not-before': flag(true),
    'validate-not-after': flag(true),
    'ignore-error': flag(false),
  },
  compile(element, ctx) {
    const rule = (name: string) => ctx.boolean(element, name)!.constant!;
    const rules = {
      revocation: rule('validate-revocation'),
      trust: rule('validate-trust'),
      notBefore: rule('validate-not-before'),
      notAfter: rule('validate-not-after'),
      ignoreError: rule('ignore-error'),
    };
    const identities = compileIdentities(element, ctx);
    const known = ctx.certificates.map(uploaded).filter((c): c is X509Certificate => c !== null);
    const anchors = [...known.filter((c) => c.ca), ...systemAnchors()];

    const issuerAmong = (pool: readonly X509Certificate[]) => (cert: X509Certificate): X509Certificate | undefined =>
      pool.find((c) => !c.raw.equals(cert.raw) && cert.checkIssued(c) && cert.verify(c.publicKey));

    const check = async (gw: GatewayContext): Promise<PresentedCertificate> => {
      const der = gw.request.clientCertificate;
      if (!der) throw new CertificateRefused('ClientCertificateNotPresent', 'The request presented no client certificate.');
      const value = x509FromDer(der);
      const node = value.node;
      const now = gw.services.clock.now();
      if (rules.notBefore && now < Date.parse(node.validFrom)) throw new CertificateRefused('ClientCertificateNotYetValid', `The client certificate is not valid before ${new Date(node.validFrom).toISOString()}.`);
      if (rules.notAfter && now > Date.parse(node.validTo)) throw new CertificateRefused('ClientCertificateExpired', `The client certificate expired at ${new Date(node.validTo).toISOString()}.`);
      // The intermediates the caller sent help build the chain; only a chain that reached a
      // trust anchor vouches for them, so revocation lists named by them are fetched only then.
      const sent = intermediatesOf(gw);
      const trusted = rules.trust && verifyChain(node, anchors, now, [...known, ...sent]);
      if (rules.trust && !trusted) throw new CertificateRefused('ClientCertificateNotTrusted', 'The client certificate does not chain to a trusted certificate authority.');
      const issuerOf = issuerAmong(trusted ? [...known, ...anchors, ...sent] : [...known, ...anchors]);
      if (rules.revocation) await checkRevocation(node, value.serial, issuerOf, now);
      const presented = { value, node, issuer: issuerOf(node) };
      if (identities.length > 0 && !identities.some((identity) => matchesIdentity(presented, identity))) {
        throw new CertificateRefused('ClientCertificateIdentityMismatch', 'The client certificate matches none of the identities.');
      }
      return presented;
    };

    return async (gw) => {
      try {
        const presented = await check(gw);
        if (gw.requestTrace) gw.traceStep('validate-client-certificate', { valid: true, thumbprint: presented.value.thumbprint });
      } catch (err) {
        if (!(err instanceof CertificateRefused)) throw err;
        if (gw.requestTrace) gw.traceStep('validate-client-certificate', { valid: false, reason: err.reason, message: err.message, ignored: rules.ignoreError });
        if (rules.ignoreError) return;
        const clientMessage = err.reason === 'ClientCertificateNotPresent' ? 'Client certificate not present.' : 'Invalid client certificate.';
        throw new PolicyRuntimeError('validate-client-certificate', err.reason, err.message, 401, clientMessage);
      }
    };
  },
};

/** The intermediates the caller sent, those Node can read. */
function intermediatesOf(gw: GatewayContext): X509Certificate[] {
  const out: X509Certificate[] = [];
  for (const der of gw.request.clientIntermediates ?? []) {
    try {
      out.push(x509FromDer(der).node);
    } catch {
      // A certificate that cannot be read cannot be part of a chain.
    }
  }
  return out;
}

/** The revocation lists of this gateway process. */
const revocationLists = new RevocationLists();
const maxChainLength = 8;

/** Checks `cert` and its issuers up to (not including) the root; throws CertificateRefused for a revoked or unknown status. */
async function checkRevocation(cert: X509Certificate, serial: Uint8Array, issuerOf: (c: X509Certificate) => X509Certificate | undefined, now: number): Promise<void> {
  let current = cert;
  let currentSerial = serial;
  for (let depth = 0; depth < maxChainLength; depth++) {
    if (current.checkIssued(current) && current.verify(current.publicKey)) return;
    const issuer = issuerOf(current);
    const status = issuer ? await revocationLists.status(current, currentSerial, issuer, now) : 'unknown';
    if (status === 'revoked') throw new CertificateRefused('ClientCertificateRevoked', `The certificate '${current.subject.replace(/\n/g, ', ')}' of the client's chain is revoked.`);
    if (status === 'unknown') throw new CertificateRefused('ClientCertificateRevocationUnknown', `The revocation status of the certificate '${current.subject.replace(/\n/g, ', ')}' of the client's chain is unknown (no revocation list could be read).`);
    current = issuer!;
    currentSerial = x509FromDer(new Uint8Array(current.raw)).serial;
  }
}

/** The `identities` child: up to ten `identity` elements, each with at least one claim. */
function compileIdentities(element: XmlElement, ctx: PolicyCompileContext): CertificateIdentity[] {
  const children = childElements(element);
  const out: CertificateIdentity[] = [];
  for (const child of children) {
    if (child.name !== 'identities') ctx.fail(child, `The element '${child.name}' is not allowed in 'validate-client-certificate'.`);
    if (children.indexOf(child) > 0) ctx.fail(child, "The element 'identities' may appear only once in 'validate-client-certificate'.");
    checkChildAttributes(child, {}, ctx);
    const list = childElements(child);
    if (list.length > maxIdentities) ctx.fail(list[maxIdentities]!, `At most ${maxIdentities} 'identity' elements are allowed.`);
    for (const item of list) {
      if (item.name !== 'identity') ctx.fail(item, `The element '${item.name}' is not allowed in 'identities'.`);
      out.push(compileIdentity(item, ctx));
    }
  }
  return out;
}

function compileIdentity(item: XmlElement, ctx: PolicyCompileContext): CertificateIdentity {
  checkChildAttributes(item, identitySpecs, ctx);
  if (childElements(item).length > 0) ctx.fail(item, "The 'identity' element takes no children.");
  const identity: CertificateIdentity = { claims: {} };
  for (const name of identityAttributeNames) {
    if (!attribute(item, name)) continue;
    const value = ctx.string(item, name, identitySpecs[name])!;
    if (!value.isConstant) ctx.fail(attribute(item, name)!, `The '${name}' attribute does not accept policy expressions.`);
    if (name === 'issuer-certificate-id') {
      const found = certificateById(ctx.certificates, value.constant!);
      if (!found) ctx.fail(attribute(item, name)!, `Certificate with id '${value.constant}' could not be found.`);
      const x509 = uploaded(found);
      if (!x509) ctx.fail(attribute(item, name)!, `Certificate with id '${value.constant}' cannot be read.`);
      identity.issuerCertificate = x509;
    } else identity.claims[name] = value.constant!;
  }
  if (Object.keys(identity.claims).length === 0 && !identity.issuerCertificate) ctx.fail(item, "An 'identity' element must make at least one claim (thumbprint, serial-number, common-name, subject, dns-name, issuer-subject, issuer-thumbprint or issuer-certificate-id).");
  if (identity.issuerCertificate && (identity.claims['issuer-subject'] !== undefined || identity.claims['issuer-thumbprint'] !== undefined)) {
    ctx.fail(attribute(item, 'issuer-certificate-id')!, "The 'issuer-certificate-id' attribute cannot be combined with 'issuer-subject' or 'issuer-thumbprint'.");
  }
  return identity;
}
