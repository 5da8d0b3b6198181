/**
 * `redirect-content-urls`: in `outbound`, every occurrence of the backend's base URL in the
 * response body becomes the API's URL on this gateway (the backend stays hidden); in `inbound`,
 * the reverse, in the request body. Headers (`Location`) are left alone, as Microsoft's reference
 * says. Only textual bodies are rewritten: a binary body would be damaged by a text replace.
 */
import type { PolicyModule } from '../pipeline/policy-module.js';
import type { GatewayContext } from '../pipeline/gateway-context.js';
import { bufferWithinLimit } from '../pipeline/buffered-body.js';

/** Media types whose bodies are text (no Content-Type is taken as text too). */
const textualType = /^(text\/|application\/(json|xml|javascript|x-www-form-urlencoded|[\w.+-]+\+(json|xml))\b)/i;

/** The API's base URL as the caller sees it: the gateway's origin and the API's path. */
function gatewayBase(gw: GatewayContext): string {
  const path = gw.api.path.replace(/^\/+|\/+$/g, '');
  return `${gw.request.originalUrl.origin}${path ? `/${path}` : ''}`;
}

/** The backend's base URL without a trailing slash, or undefined when there is none. */
function backendBase(gw: GatewayContext): string | undefined {
  const base = gw.backendBase;
  if (!base) return undefined;
  return `${base.origin}${base.path}`.replace(/\/+$/, '');
}

export const redirectContentUrls: PolicyModule = {
  name: 'redirect-content-urls',
  sections: ['inbound', 'outbound'],
  oncePerSection: true,
  attributes: {},
  compile(element, ctx) {
    if (element.children.some((c) => c.kind === 'element' || c.text.trim() !== '')) {
      ctx.fail(element, "The 'redirect-content-urls' element takes no content.");
    }
    const outbound = ctx.section === 'outbound';
    return async (gw) => {
      const message = outbound ? gw.response : gw.request;
      const backend = backendBase(gw);
      const contentType = message.headers.get('content-type');
      if (!backend || !message.body.present || (contentType !== undefined && !textualType.test(contentType))) {
        if (gw.requestTrace) gw.traceStep('redirect-content-urls', { rewritten: 0, reason: !backend ? 'No backend URL.' : 'No textual body.' });
        return;
      }
      const gateway = gatewayBase(gw);
      const [from, to] = outbound ? [backend, gateway] : [gateway, backend];
      await bufferWithinLimit(gw, message.body, outbound ? 'response' : 'request', 'redirect-content-urls');
      const text = message.body.bufferedContent!.toString('utf8');
      const parts = text.split(from);
      if (parts.length > 1) {
        message.body.replace(parts.join(to));
        message.headers.delete('Content-Length');
      }
      if (gw.requestTrace) gw.traceStep('redirect-content-urls', { from, to, rewritten: parts.length - 1 });
    };
  },
};
