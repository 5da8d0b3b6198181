/**
 * `xml-to-json`: converts the request (inbound) or response (outbound, on-error) body from XML
 * to JSON (Microsoft's policy reference; shapes in xml-body/xml-to-json-conversion.ts).
 */
import type { PolicyModule } from '../pipeline/policy-module.js';
import { isJsonMediaType, isXmlMediaType } from './xml-body/content-types.js';
import { compileConversion } from './xml-body/conversion-step.js';
import { xmlDocumentToJson, type XmlToJsonKind } from './xml-body/xml-to-json-conversion.js';
import { parseXmlBody } from './xml-body/xml-document.js';

export const xmlToJson: PolicyModule = {
  name: 'xml-to-json',
  sections: ['inbound', 'outbound', 'on-error'],
  attributes: {
    kind: { type: 'enum', values: ['javascript-friendly', 'direct'], required: true, expression: true },
    apply: { type: 'enum', values: ['always', 'content-type-xml'], required: true, expression: true },
    'consider-accept-header': { type: 'boolean', default: true, expression: true },
    'always-array-child-elements': { type: 'boolean', default: false, expression: true },
  },
  compile(element, ctx) {
    const kind = ctx.string(element, 'kind')!;
    const alwaysArray = ctx.boolean(element, 'always-array-child-elements')!;
    return compileConversion(element, ctx, {
      isSource: isXmlMediaType,
      isTarget: isJsonMediaType,
      resultType: 'application/json',
      convert(text, gw) {
        const json = xmlDocumentToJson(parseXmlBody(text), {
          kind: kind.get(gw) as XmlToJsonKind,
          alwaysArrayChildElements: alwaysArray.get(gw),
        });
        return JSON.stringify(json);
      },
    });
  },
};
