/**
 * The request send-request and send-one-way-request make (reference §3): `mode` new (empty) or
 * copy (the current request's method, URL, headers and body; in outbound without a body), then
 * the children `set-url`, `set-method`, `set-header`*, `set-body`, `authentication-basic`,
 * `authentication-managed-identity` (its token set once the other children ran), `authentication-certificate`
 * (authentication-certificate.ts), `proxy`. Children are not the registered policies: they edit the new request, not the
 * caller's, wherever the parent sits.
 */
import { bufferWithinLimit } from '../pipeline/buffered-body.js';
import { checkChildAttributes } from '../pipeline/child-attributes.js';
import type { GatewayContext, OutboundProxy, OutboundRequest } from '../pipeline/gateway-context.js';
import { HeaderMap } from '../pipeline/header-map.js';
import { MessageBody } from '../pipeline/message-body.js';
import type { AttributeSpec, PolicyCompileContext, PolicyStep } from '../pipeline/policy-module.js';
import { RequestSlot } from '../pipeline/request-slot.js';
import type { Value } from '../pipeline/value.js';
import { attribute, childElements, type XmlElement } from '../pipeline/xml.js';
import { compileManagedIdentity, managedIdentityAttributes, type ManagedIdentityStep } from './authentication-managed-identity.js';
import { compileBodyWriter, type BodyWriter } from './set-body.js';
import { authenticationCertificateAttributes, compileCertificateChoice, type CertificateChoice } from './authentication-certificate.js';
import { compileSetHeaderStep, setHeader } from './set-header.js';
import { methodProblem } from './set-method.js';
import { compileProxy } from './proxy.js';
import { urlProblem } from './http-url.js';

/** The attributes both policies share. */
export const outboundRequestAttributes: Readonly<Record<string, AttributeSpec>> = {
  mode: { type: 'enum', values: ['new', 'copy'], default: 'new', expression: true },
  // Seconds; the bound keeps the timer within what Node can wait (about 24 days).
  timeout: { type: 'integer', default: 60, min: 0, max: 2_000_000, expression: true },
};

const basicSpecs: Readonly<Record<string, AttributeSpec>> = {
  username: { type: 'string', required: true, expression: true },
  password: { type: 'string', required: true, expression: true },
};

/** Children that may appear once, and those a later part of Gatehouse brings (compiled as policies to get the standard error). */
const singleChildren = new Set(['set-url', 'set-method', 'set-body', 'authentication-basic', 'authentication-managed-identity', 'authentication-certificate', 'proxy']);

/** Builds the request for one run of the policy (async: copy mode may read the caller's body). */
export type OutboundRequestBuilder = (gw: GatewayContext) => Promise<OutboundRequest>;

/** The request being built, for the set-header steps (which run synchronously while it is set). */
const building = new RequestSlot<OutboundRequest | undefined>('outbound request being built');

/** Compiles the mode, timeout and children of a send-request-like element. */
export function compileOutboundRequest(element: XmlElement, ctx: PolicyCompileContext): OutboundRequestBuilder {
  const policy = element.name;
  for (const child of element.children) {
    if (child.kind === 'text' && child.text.trim() !== '') ctx.fail(element, `Unexpected text content in '${policy}'.`);
  }
  const mode = ctx.string(element, 'mode', outboundRequestAttributes.mode)! as Value<'new' | 'copy'>;
  const timeout = ctx.integer(element, 'timeout', outboundRequestAttributes.timeout)!;
  const children = childElements(element);
  const seen = new Set<string>();
  let url: Value<string> | undefined;
  let method: Value<string> | undefined;
  let proxy: ((gw: GatewayContext) => OutboundProxy) | undefined;
  let managedIdentity: ManagedIdentityStep | undefined;
  let certificate: CertificateChoice | undefined;
  const edits: PolicyStep[] = [];
  let writeBody: BodyWriter | undefined;
  for (const child of children) {
    if (singleChildren.has(child.name) && seen.has(child.name)) ctx.fail(child, `The element '${child.name}' may appear only once in '${policy}'.`);
    seen.add(child.name);
    switch (child.name) {
      case 'set-url':
        url = checkedText(child, ctx, urlProblem);
        break;
      case 'set-method':
        method = checkedText(child, ctx, methodProblem);
        break;
      case 'set-header':
        checkChildAttributes(child, setHeader.attributes, ctx, { asPolicy: true });
        edits.push(compileSetHeaderStep(child, ctx, 'request', (gw) => gw.slot(building)!.headers));
        break;
      case 'set-body':
        writeBody = compileBodyWriter(child, ctx).write;
        break;
      case 'authentication-basic': {
        checkChildAttributes(child, basicSpecs, ctx, { asPolicy: true });
        const username = ctx.string(child, 'username', basicSpecs.username)!;
        const password = ctx.string(child, 'password', basicSpecs.password)!;
        edits.push((gw) => {
          const credentials = Buffer.from(`${username.get(gw)}:${password.get(gw)}`, 'utf8').toString('base64');
          gw.slot(building)!.headers.set('Authorization', `Basic ${credentials}`);
        });
        break;
      }
      case 'authentication-managed-identity':
        checkChildAttributes(child, managedIdentityAttributes, ctx, { asPolicy: true });
        managedIdentity = compileManagedIdentity(child, ctx);
        break;
      case 'proxy':
        proxy = compileProxy(child, ctx);
        break;
      case 'authentication-certificate':
        checkChildAttributes(child, authenticationCertificateAttributes, ctx, { asPolicy: true });
        if (childElements(child).length > 0) ctx.fail(child, "The 'authentication-certificate' element takes no children.");
        certificate = compileCertificateChoice(child, ctx);
        break;
      default:
        ctx.fail(child, `The element '${child.name}' is not allowed in '${policy}'.`);
    }
  }
  if (mode.isConstant && mode.constant === 'new') {
    if (!url) ctx.fail(element, `The 'set-url' element is required in '${policy}' unless mode is 'copy'.`);
    if (!method) ctx.fail(element, `The 'set-method' element is required in '${policy}' unless mode is 'copy'.`);
  }
  const section = ctx.section;
  return async (gw) => {
    const copy = mode.get(gw) === 'copy';
    if (!copy && (!url || !method)) throw new Error(`'${policy}' in mode 'new' needs 'set-url' and 'set-method'.`);
    const request: OutboundRequest = copy
      ? await copyOfCurrent(gw, section, policy)
      : { method: 'GET', url: '', headers: new HeaderMap(), body: MessageBody.empty(), timeoutMs: 0 };
    request.timeoutMs = timeout.get(gw) * 1000;
    if (url) {
      request.url = url.get(gw).trim();
      const problem = urlProblem(request.url);
      if (problem) throw new Error(problem);
    }
    if (method) {
      request.method = method.get(gw).trim();
      const problem = methodProblem(request.method);
      if (problem) throw new Error(problem);
    }
    // The header steps are synchronous: the slot cannot be seen by a concurrent branch of `wait`.
    gw.setSlot(building, request);
    try {
      for (const edit of edits) void edit(gw);
      if (writeBody) writeBody(gw, request);
    } finally {
      gw.setSlot(building, undefined);
    }
    if (proxy) request.proxy = proxy(gw);
    if (certificate) {
      request.clientCertificate = certificate(gw);
      if (gw.requestTrace) gw.traceStep(policy, { 'authentication-certificate': { thumbprint: request.clientCertificate.thumbprint } });
    }
    // The token may need a call of its own, so it is set after the synchronous edits above.
    if (managedIdentity) await managedIdentity(gw, request.headers);
    return request;
  };
}

/** mode="copy": the current request; its body unless in outbound ("does not initialize the request body"). */
async function copyOfCurrent(gw: GatewayContext, section: string, policy: string): Promise<OutboundRequest> {
  const headers = gw.request.headers.clone();
  // The caller's Host names the gateway; the copy goes wherever its URL says.
  if (headers.get('host') === gw.clientHostHeader) headers.delete('host');
  let body = MessageBody.empty();
  const source = gw.request.body;
  if (section !== 'outbound' && !source.isConsumed) {
    // Read even when nothing seems present: another branch of `wait` may be reading the stream now.
    if (!gw.forwarded) await bufferWithinLimit(gw, source, 'request', policy);
    const content = source.bufferedContent;
    if (content !== null && content.length > 0) body = new MessageBody(Buffer.from(content));
  }
  return { method: gw.request.method, url: gw.request.url.toString(), headers, body, timeoutMs: 0 };
}


/** A text-only child (set-url, set-method), its constant value checked now by `problem`. */
function checkedText(element: XmlElement, ctx: PolicyCompileContext, problem: (text: string) => string | undefined): Value<string> {
  if (childElements(element).length > 0) ctx.fail(element, `The '${element.name}' element takes text only.`);
  checkChildAttributes(element, {}, ctx, { asPolicy: true });
  const text = ctx.text(element);
  const found = text.isConstant ? problem(text.constant!.trim()) : undefined;
  if (found) ctx.fail(element, found);
  return text;
}
