/**
 * `json-to-xml`: converts the request (inbound) or response (outbound, on-error) body from JSON
 * to XML (Microsoft's policy reference; shapes in xml-body/json-to-xml-conversion.ts).
 */
import type { PolicyModule } from '../pipeline/policy-module.js';
import { isJsonMediaType, isXmlMediaType } from './xml-body/content-types.js';
import { compileConversion } from './xml-body/conversion-step.js';
import { jsonToXml } from './xml-body/json-to-xml-conversion.js';
import type { JsonValue } from './xml-body/xml-to-json-conversion.js';

export const jsonToXmlPolicy: PolicyModule = {
  name: 'json-to-xml',
  sections: ['inbound', 'outbound', 'on-error'],
  attributes: {
    apply: { type: 'enum', values: ['always', 'content-type-json'], required: true, expression: true },
    'consider-accept-header': { type: 'boolean', default: true, expression: true },
    'parse-date': { type: 'boolean', default: true },
    'namespace-separator': { type: 'string', default: '_', expression: true },
    'namespace-prefix': { type: 'string', expression: true },
    'attribute-block-name': { type: 'string', expression: true },
  },
  compile(element, ctx) {
    const parseDate = ctx.boolean(element, 'parse-date')!.constant!;
    const separator = ctx.string(element, 'namespace-separator')!;
    if (separator.isConstant && [...separator.constant!].length !== 1) {
      ctx.fail(element, "The 'namespace-separator' attribute must be a single character.");
    }
    const prefix = ctx.string(element, 'namespace-prefix');
    const attributeBlock = ctx.string(element, 'attribute-block-name');
    return compileConversion(element, ctx, {
      isSource: isJsonMediaType,
      isTarget: isXmlMediaType,
      resultType: 'application/xml',
      convert(text, gw) {
        return jsonToXml(JSON.parse(text) as JsonValue, {
          parseDate,
          namespaceSeparator: separator.get(gw),
          namespacePrefix: prefix?.get(gw) || undefined,
          attributeBlockName: attributeBlock?.get(gw) || undefined,
        });
      },
    });
  },
};
