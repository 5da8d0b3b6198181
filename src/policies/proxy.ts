/**
 * `proxy`: sends the request's backend calls through an HTTP proxy (`url`, `username`,
 * `password`, Basic authentication), on the same transport as a Backend entity's `proxy` and
 * send-request's `proxy` child (backend-transports.ts): absolute-form requests for http
 * backends, a CONNECT tunnel for https. Azure: "Only HTTP (not HTTPS) is supported between the
 * gateway and the proxy." Also compiled as send-request's child (outbound-request.ts).
 */
import type { AttributeSpec, PolicyCompileContext, PolicyModule } from '../pipeline/policy-module.js';
import type { GatewayContext, OutboundProxy } from '../pipeline/gateway-context.js';
import { backendProxySlot } from '../pipeline/backend-proxy.js';
import { checkChildAttributes } from '../pipeline/child-attributes.js';
import { attribute, childElements, type XmlElement } from '../pipeline/xml.js';
import { urlProblem } from './http-url.js';

const proxySpecs: Readonly<Record<string, AttributeSpec>> = {
  url: { type: 'string', required: true, expression: true },
  username: { type: 'string', expression: true },
  password: { type: 'string', expression: true },
};

/** Azure: "Only HTTP (not HTTPS) is supported between the gateway and the proxy." */
function proxyUrlProblem(text: string): string | undefined {
  const problem = urlProblem(text);
  if (problem) return problem;
  return text.trim().toLowerCase().startsWith('http:') ? undefined : `The proxy URL '${text}' must use http: (Azure supports no other).`;
}

/** Compiles a `<proxy>` element (the policy, or send-request's child) into the proxy it names per request. */
export function compileProxy(child: XmlElement, ctx: PolicyCompileContext): (gw: GatewayContext) => OutboundProxy {
  checkChildAttributes(child, proxySpecs, ctx, { asPolicy: true });
  if (childElements(child).length > 0) ctx.fail(child, "The 'proxy' element takes no children.");
  const url = ctx.string(child, 'url', proxySpecs.url)!;
  const username = ctx.string(child, 'username', proxySpecs.username);
  const password = ctx.string(child, 'password', proxySpecs.password);
  if (url.isConstant) {
    const problem = proxyUrlProblem(url.constant!);
    if (problem) ctx.fail(attribute(child, 'url')!, problem);
  }
  return (gw) => {
    const proxy: OutboundProxy = { url: url.get(gw) };
    const problem = proxyUrlProblem(proxy.url);
    if (problem) throw new Error(problem);
    if (username) proxy.username = username.get(gw);
    if (password) proxy.password = password.get(gw);
    return proxy;
  };
}

export const proxy: PolicyModule = {
  name: 'proxy',
  sections: ['inbound'],
  scopes: ['global', 'product', 'api', 'operation'],
  attributes: proxySpecs,
  compile(element, ctx) {
    const proxyOf = compileProxy(element, ctx);
    return (gw) => {
      const chosen = gw.setSlot(backendProxySlot, proxyOf(gw));
      // The proxy's address, never its credentials.
      if (gw.requestTrace) gw.traceStep('proxy', { url: chosen.url, authenticated: chosen.username !== undefined || chosen.password !== undefined });
    };
  },
};
