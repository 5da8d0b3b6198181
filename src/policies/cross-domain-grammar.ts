/**
 * The shape of the two documents the `cross-domain` policy holds: Adobe's cross-domain policy
 * file (`<cross-domain-policy>`, served as `/crossdomain.xml`) and Silverlight's client access
 * policy (`<access-policy>`, served as `/clientaccesspolicy.xml`). Azure: "Child elements must
 * conform to the Adobe cross-domain policy file specification"; a document that does not is
 * refused at save time rather than served to clients that would ignore it.
 */
import type { AttributeSpec, PolicyCompileContext } from '../pipeline/policy-module.js';
import { checkChildAttributes } from '../pipeline/child-attributes.js';
import { attribute, childElements, type XmlElement } from '../pipeline/xml.js';
import { isExpression } from '../expressions/index.js';

interface ElementRule {
  attributes: Readonly<Record<string, AttributeSpec>>;
  /** The element children it may hold. */
  children: readonly string[];
}

const text = (required = false): AttributeSpec => ({ type: 'string', required });
const flag: AttributeSpec = { type: 'enum', values: ['true', 'false'] };

/** The meta-policies of Adobe's `site-control` element. */
const metaPolicies = ['none', 'master-only', 'by-content-type', 'by-ftp-filename', 'all'] as const;

/** Every element of both documents, by name, with what it may carry. */
const rules: Readonly<Record<string, ElementRule>> = {
  // Adobe cross-domain policy file.
  'cross-domain-policy': { attributes: {}, children: ['site-control', 'allow-access-from', 'allow-access-from-identity', 'allow-http-request-headers-from'] },
  'site-control': { attributes: { 'permitted-cross-domain-policies': { type: 'enum', required: true, values: metaPolicies } }, children: [] },
  'allow-access-from': { attributes: { domain: text(true), 'to-ports': text(), secure: flag }, children: [] },
  'allow-access-from-identity': { attributes: {}, children: ['signatory'] },
  signatory: { attributes: {}, children: ['certificate'] },
  certificate: { attributes: { fingerprint: text(true), 'fingerprint-algorithm': text(true) }, children: [] },
  'allow-http-request-headers-from': { attributes: { domain: text(true), headers: text(true), secure: flag }, children: [] },
  // Silverlight client access policy.
  'access-policy': { attributes: {}, children: ['cross-domain-access'] },
  'cross-domain-access': { attributes: {}, children: ['policy'] },
  policy: { attributes: {}, children: ['allow-from', 'grant-to'] },
  'allow-from': { attributes: { 'http-request-headers': text(), 'http-methods': text() }, children: ['domain'] },
  domain: { attributes: { uri: text(true) }, children: [] },
  'grant-to': { attributes: {}, children: ['resource', 'socket-resource'] },
  resource: { attributes: { path: text(true), 'include-subpaths': flag }, children: [] },
  'socket-resource': { attributes: { port: text(true), protocol: text(true) }, children: [] },
};

/** Fails (element, line, column) where a document departs from its format; walks it whole. */
export function checkCrossDomainDocument(element: XmlElement, ctx: PolicyCompileContext): void {
  const rule = rules[element.name]!;
  checkChildAttributes(element, rule.attributes, ctx);
  for (const [name, spec] of Object.entries(rule.attributes)) {
    const attr = attribute(element, name);
    if (!attr) continue;
    // Served as written to clients that never run policies: an expression would be sent as text.
    if (isExpression(attr.value)) ctx.fail(attr, `The '${name}' attribute does not accept policy expressions: the document is served as written.`);
    if (spec.values && !spec.values.includes(attr.value.trim())) {
      ctx.fail(attr, `The value '${attr.value}' of attribute '${name}' is not one of: ${spec.values.join(', ')}.`);
    }
  }
  for (const child of element.children) {
    if (child.kind === 'text' && child.text.trim() !== '') ctx.fail(element, `Unexpected text content in '${element.name}'.`);
  }
  for (const child of childElements(element)) {
    if (!rule.children.includes(child.name)) {
      ctx.fail(child, `The element '${child.name}' is not allowed in '${element.name}'. Expected one of: ${rule.children.join(', ') || 'none'}.`);
    }
    checkCrossDomainDocument(child, ctx);
  }
}
