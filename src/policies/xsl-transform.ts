/**
 * `xsl-transform`: applies an XSLT 1.0 stylesheet, given inline as the `xsl:stylesheet` child,
 * to the XML body of the request (inbound) or the response (outbound), with `parameter`
 * children as the stylesheet's `xsl:param` values (expressions allowed). The stylesheet is
 * checked when the policy is saved (xslt/stylesheet-check.ts); transforms run on a worker
 * thread within a deadline and a heap limit (xslt/xslt-runner.ts).
 */
import type { PolicyCompileContext, PolicyModule } from '../pipeline/policy-module.js';
import { PolicyRuntimeError, type GatewayContext } from '../pipeline/gateway-context.js';
import { bufferWithinLimit } from '../pipeline/buffered-body.js';
import type { Value } from '../pipeline/value.js';
import { childElements, serializeXml, type XmlElement } from '../pipeline/xml.js';
import { checkChildAttributes } from '../pipeline/child-attributes.js';
import { checkStylesheet, xsltNamespace, type StylesheetOutput } from './xslt/stylesheet-check.js';
import { sharedXsltRunner, XsltRunError } from './xslt/xslt-runner.js';

interface Parameter {
  name: string;
  value: Value<string>;
}

/** The client message of a failure on the response side (as for the validate-* policies). */
const responseSideMessage = 'Internal server error';

function compileParameter(child: XmlElement, ctx: PolicyCompileContext): Parameter {
  // Microsoft's policy statement writes `parameter-name`, its example and the service `name`.
  checkChildAttributes(child, { name: { type: 'string' }, 'parameter-name': { type: 'string' } }, ctx);
  const names = child.attributes.filter((a) => a.name === 'name' || a.name === 'parameter-name');
  if (names.length !== 1) ctx.fail(child, "A 'parameter' needs exactly one of 'name' and 'parameter-name'.");
  const name = names[0]!.value.trim();
  if (!/^[A-Za-z_][\w.-]*$/.test(name)) ctx.fail(names[0]!, `'${name}' is not a valid XSLT parameter name.`);
  if (childElements(child).length > 0) ctx.fail(child, "The 'parameter' element takes text only.");
  return { name, value: ctx.text(child) };
}

/** The stylesheet's text, with the XSLT namespace declared on it when the policy document declared it higher up. */
function stylesheetText(sheet: XmlElement): string {
  const prefix = sheet.name.slice(0, sheet.name.indexOf(':'));
  if (sheet.attributes.some((a) => a.name === `xmlns:${prefix}`)) return serializeXml(sheet);
  return serializeXml({ ...sheet, attributes: [...sheet.attributes, { name: `xmlns:${prefix}`, value: xsltNamespace, line: sheet.line, column: sheet.column }] });
}

function runtimeError(err: XsltRunError, side: 'request' | 'response'): PolicyRuntimeError {
  if (err.kind === 'input') {
    const message = `The ${side} body is not well-formed XML: ${err.message}`;
    return side === 'request'
      ? new PolicyRuntimeError('xsl-transform', 'InvalidXmlBody', message, 400, message)
      : new PolicyRuntimeError('xsl-transform', 'InvalidXmlBody', message, 500, responseSideMessage);
  }
  const reason = err.kind === 'timeout' ? 'TransformTimeout' : err.kind === 'resources' ? 'TransformResourcesExceeded' : 'TransformFailed';
  return new PolicyRuntimeError('xsl-transform', reason, `XSLT transform failed: ${err.message}`);
}

export const xslTransform: PolicyModule = {
  name: 'xsl-transform',
  sections: ['inbound', 'outbound'],
  oncePerSection: true,
  attributes: {},
  compile(element, ctx) {
    const parameters: Parameter[] = [];
    let sheet: XmlElement | undefined;
    for (const child of childElements(element)) {
      if (child.name === 'parameter') {
        if (sheet) ctx.fail(child, "'parameter' elements come before the stylesheet.");
        parameters.push(compileParameter(child, ctx));
      } else if (child.name.endsWith(':stylesheet') || child.name.endsWith(':transform')) {
        if (sheet) ctx.fail(child, "'xsl-transform' takes one stylesheet.");
        sheet = child;
      } else ctx.fail(child, `The element '${child.name}' is not allowed in 'xsl-transform'; only 'parameter' and 'xsl:stylesheet' are.`);
    }
    for (const node of element.children) {
      if (node.kind === 'text' && node.text.trim() !== '') ctx.fail(element, "Unexpected text content in 'xsl-transform'.");
    }
    const stylesheet: XmlElement = sheet ?? ctx.fail(element, "The required element 'xsl:stylesheet' is missing.");
    const checked = checkStylesheet(stylesheet);
    if ('message' in checked) ctx.fail(checked.at, checked.message);
    const output = checked as StylesheetOutput;
    const text = stylesheetText(stylesheet);
    const side = ctx.section === 'inbound' ? 'request' : 'response';
    return async (gw: GatewayContext) => {
      const message = side === 'request' ? gw.request : gw.response;
      // Nothing to transform (a GET, a 204): the message goes on as it is.
      if (!message.body.present) {
        if (gw.requestTrace) gw.traceStep('xsl-transform', { applied: false, reason: `The ${side} has no body.` });
        return;
      }
      await bufferWithinLimit(gw, message.body, side, 'xsl-transform');
      const input = message.body.bufferedContent!.toString('utf8').replace(/^\uFEFF/, '');
      const values = parameters.map((p) => ({ name: p.name, value: p.value.get(gw) }));
      let result: string;
      try {
        result = await sharedXsltRunner().transform(input, text, values, output);
      } catch (err) {
        if (err instanceof XsltRunError) throw runtimeError(err, side);
        throw err;
      }
      message.body.replace(result);
      message.headers.delete('Content-Length');
      if (gw.requestTrace) gw.traceStep('xsl-transform', { applied: true, side, inputBytes: Buffer.byteLength(input), outputBytes: Buffer.byteLength(result), parameters: values.map((v) => v.name) });
    };
  },
};
