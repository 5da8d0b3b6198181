/**
 * `cross-domain`: holds the Flash cross-domain policy file (`<cross-domain-policy>`) and/or the
 * Silverlight client access policy (`<access-policy>`) the gateway serves at its root as
 * `/crossdomain.xml` and `/clientaccesspolicy.xml` (Azure: inbound section, global scope). The
 * documents are taken out of the global policy when a snapshot is built
 * (gateway/snapshot/cross-domain-files.ts) and answered before routing gives up
 * (gateway/answer-cross-domain.ts); inside a request's pipeline the policy does nothing.
 */
import type { PolicyModule } from '../pipeline/policy-module.js';
import { childElements } from '../pipeline/xml.js';
import { checkCrossDomainDocument } from './cross-domain-grammar.js';

/** Each document's root element and the gateway path it is served at. */
export const crossDomainFilePaths: Readonly<Record<string, string>> = {
  'cross-domain-policy': '/crossdomain.xml',
  'access-policy': '/clientaccesspolicy.xml',
};

export const crossDomain: PolicyModule = {
  name: 'cross-domain',
  sections: ['inbound'],
  scopes: ['global'],
  attributes: {},
  oncePerSection: true,
  compile(element, ctx) {
    // Served whatever a request does: a place that runs only for some requests (choose, a
    // fragment's condition) would promise a condition the gateway cannot keep.
    if (ctx.path.includes('/')) ctx.fail(element, "The 'cross-domain' policy must be placed directly in the global 'inbound' section.");
    for (const child of element.children) {
      if (child.kind === 'text' && child.text.trim() !== '') ctx.fail(element, "Unexpected text content in 'cross-domain'.");
    }
    const documents = childElements(element);
    if (documents.length === 0) ctx.fail(element, "The 'cross-domain' policy must hold a 'cross-domain-policy' or an 'access-policy' element.");
    const seen = new Set<string>();
    for (const document of documents) {
      if (!(document.name in crossDomainFilePaths)) {
        ctx.fail(document, `The element '${document.name}' is not allowed in 'cross-domain'. Expected 'cross-domain-policy' or 'access-policy'.`);
      }
      if (seen.has(document.name)) ctx.fail(document, `The element '${document.name}' may appear only once in 'cross-domain'.`);
      seen.add(document.name);
      checkCrossDomainDocument(document, ctx);
    }
    // Every {{named value}} the documents refer to must exist (the snapshot substitutes them).
    ctx.markup(element);
    const served = [...seen].map((name) => crossDomainFilePaths[name]!);
    return (gw) => {
      if (gw.requestTrace) gw.traceStep('cross-domain', { message: 'Cross-domain policy documents are answered at the gateway root, not in a request pipeline.', served });
    };
  },
};
