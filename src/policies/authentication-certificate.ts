/**
 * `authentication-certificate`: presents a client certificate to the backend when its TLS
 * handshake asks for one (reference §3, Access / auth). The certificate is a `certificates`
 * resource named by `thumbprint` or `certificate-id`, or given inline by `body` (a byte[] PFX
 * from an expression) with its `password`. Exactly one of the three. Named certificates must
 * exist (and have their private key) when the policy is saved. As a policy it sets the
 * certificate forward-request presents (in place of the backend's own credentials); as a
 * child of send-request (outbound-request.ts) the one that call presents.
 */
import { createHash } from 'node:crypto';
import { CertificateProblem, presentedCertificate, certificateMaterial } from '../core/certificate-data.js';
import { certificateById, certificateByThumbprint } from '../model/certificate-lookup.js';
import type { Certificate, ClientCertificate } from '../model/resources.js';
import { PolicyRuntimeError, type GatewayContext } from '../pipeline/gateway-context.js';
import type { AttributeSpec, PolicyCompileContext, PolicyModule } from '../pipeline/policy-module.js';
import { RequestSlot } from '../pipeline/request-slot.js';
import { attribute, type XmlElement } from '../pipeline/xml.js';

export const authenticationCertificateAttributes: Readonly<Record<string, AttributeSpec>> = {
  thumbprint: { type: 'string', expression: true },
  'certificate-id': { type: 'string', expression: true },
  body: { type: 'string', expression: true },
  password: { type: 'string', expression: true },
};

/** The certificate forward-request presents instead of the backend's credentials, once the policy ran. */
export const presentedToBackend = new RequestSlot<ClientCertificate | undefined>('authentication-certificate');

/** Picks the certificate for one request. */
export type CertificateChoice = (gw: GatewayContext) => ClientCertificate;

/** Compiles the attributes of an authentication-certificate element (the policy or send-request's child). */
export function compileCertificateChoice(element: XmlElement, ctx: PolicyCompileContext): CertificateChoice {
  const given = ['thumbprint', 'certificate-id', 'body'].filter((name) => attribute(element, name) !== undefined);
  if (given.length !== 1) ctx.fail(element, "Exactly one of the 'thumbprint', 'certificate-id' and 'body' attributes must be specified.");
  if (attribute(element, 'password') && given[0] !== 'body') ctx.fail(attribute(element, 'password')!, "The 'password' attribute is allowed only with 'body'.");
  const certificates = ctx.certificates;
  if (given[0] === 'body') return compileBody(element, ctx);
  const byId = given[0] === 'certificate-id';
  const reference = ctx.string(element, given[0]!, authenticationCertificateAttributes[given[0]!])!;
  const find = (text: string): Certificate | undefined => (byId ? certificateById(certificates, text) : certificateByThumbprint(certificates, text));
  const missing = (text: string): string => (byId ? `Certificate with id '${text}' could not be found.` : `Certificate with thumbprint '${text}' could not be found.`);
  const keyless = (c: Certificate): string => `Certificate '${c.name}' has no private key and cannot be presented to a backend.`;
  if (reference.isConstant) {
    const found = find(reference.constant!);
    const at = attribute(element, given[0]!)!;
    if (!found) ctx.fail(at, missing(reference.constant!));
    if (found.publicOnly) ctx.fail(at, keyless(found));
    const chosen = clientCertificate(found);
    return () => chosen;
  }
  return (gw) => {
    const text = reference.get(gw);
    const found = find(text);
    if (!found) throw new PolicyRuntimeError(element.name, 'CertificateNotFound', missing(text));
    if (found.publicOnly) throw new PolicyRuntimeError(element.name, 'CertificateNotFound', keyless(found));
    return clientCertificate(found);
  };
}

function clientCertificate(c: Certificate): ClientCertificate {
  return { thumbprint: c.thumbprint, data: c.data, password: c.password };
}

/** Inline PFX files opened recently, by a hash of their bytes and password: opening one costs a TLS context. */
const openedBodies = new Map<string, ClientCertificate>();
const maxOpenedBodies = 64;

function compileBody(element: XmlElement, ctx: PolicyCompileContext): CertificateChoice {
  const body = ctx.value(element, 'body', authenticationCertificateAttributes.body)!;
  const password = ctx.string(element, 'password', authenticationCertificateAttributes.password);
  return (gw) => {
    const value = body.get(gw);
    // byte[] as Azure documents; a string is taken as the certificate's text (base64 PFX or PEM).
    const data = value instanceof Uint8Array ? Buffer.from(value).toString('base64') : typeof value === 'string' ? value : undefined;
    if (!data) throw new PolicyRuntimeError(element.name, 'InvalidCertificate', "The 'body' of authentication-certificate must be the certificate's bytes (byte[]).");
    const pass = password?.get(gw);
    const key = createHash('sha256').update(data).update('\0').update(pass ?? '').digest('base64');
    const cached = openedBodies.get(key);
    if (cached) return cached;
    let thumbprint: string;
    try {
      const der = presentedCertificate(certificateMaterial(data, pass));
      thumbprint = createHash('sha1').update(der).digest('hex').toUpperCase();
    } catch (err) {
      if (!(err instanceof CertificateProblem)) throw err;
      throw new PolicyRuntimeError(element.name, 'InvalidCertificate', `The certificate in 'body' cannot be used: ${err.message}`);
    }
    const opened: ClientCertificate = { thumbprint, data, password: pass };
    if (openedBodies.size >= maxOpenedBodies) openedBodies.delete(openedBodies.keys().next().value!);
    openedBodies.set(key, opened);
    return opened;
  };
}

export const authenticationCertificate: PolicyModule = {
  name: 'authentication-certificate',
  sections: ['inbound'],
  attributes: authenticationCertificateAttributes,
  compile(element, ctx) {
    const choose = compileCertificateChoice(element, ctx);
    return (gw) => {
      const chosen = choose(gw);
      gw.setSlot(presentedToBackend, chosen);
      if (gw.requestTrace) gw.traceStep('authentication-certificate', { thumbprint: chosen.thumbprint, presentedTo: 'backend' });
    };
  },
};
