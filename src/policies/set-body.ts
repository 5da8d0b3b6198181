/**
 * `set-body` as a child of `return-response`: the body of the response being built (reference
 * §3). Only literal content (and, once the expression language lands, expressions) for now;
 * Liquid templates are not supported yet. Not registered as a standalone policy.
 */
import type { AttributeSpec, PolicyCompileContext } from '../pipeline/policy-module.js';
import type { GatewayContext, GatewayResponse } from '../pipeline/gateway-context.js';
import { MessageBody } from '../pipeline/message-body.js';
import { attribute, childElements, type XmlElement } from '../pipeline/xml.js';

const attributes: Readonly<Record<string, AttributeSpec>> = {
  template: { type: 'enum', values: ['none', 'liquid'], default: 'none' },
  'xsi-nil': { type: 'enum', values: ['blank', 'null'], default: 'blank' },
};

/** Writes the body into a response (or a request a policy sends, which has the same two parts). */
export type BodyWriter = (gw: GatewayContext, response: Pick<GatewayResponse, 'headers' | 'body'>) => void;

/** Compiles a `<set-body>` element into a writer for the response return-response builds. */
export function compileResponseBody(element: XmlElement, ctx: PolicyCompileContext): BodyWriter {
  for (const attr of element.attributes) {
    if (attr.name === 'id' || attr.name.startsWith('xmlns')) continue;
    if (!(attr.name in attributes)) ctx.fail(element, `The '${attr.name}' attribute is not declared.`);
  }
  const template = ctx.string(element, 'template', attributes.template)!.constant;
  if (template === 'liquid') ctx.fail(attribute(element, 'template') ?? element, 'Liquid templates are not supported yet.');
  ctx.string(element, 'xsi-nil', attributes['xsi-nil']);
  if (childElements(element).length > 0) {
    ctx.fail(element, "Markup inside 'set-body' is not supported; wrap the content in CDATA.");
  }
  const content = ctx.text(element);
  return (gw, response) => {
    response.body.discard();
    response.body = new MessageBody(content.get(gw));
    // A length copied from a response variable no longer describes the new content.
    response.headers.delete('Content-Length');
  };
}
