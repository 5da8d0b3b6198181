/**
 * `body` in set-body's Liquid templates: the message body bound by its Content-Type (Microsoft:
 * application/json, text/json, `+json` bind as JSON; application/xml, text/xml, `+xml` as
 * XML). A JSON body is its parsed value, ISO date-time strings read as dates unless
 * `parse-date="false"`; an XML body is an object with the root element's property, attributes
 * as `@name`, text beside them as `#text`, repeated elements as lists, and `xsi:nil` elements as
 * empty strings (`xsi-nil="blank"`) or null. Any other body is its text.
 */
import { parseDate } from '../../expressions/runtime/datetime.js';
import { isJsonMediaType, isXmlMediaType } from '../xml-body/content-types.js';
import { isJsonDateTime } from '../xml-body/json-to-xml-conversion.js';
import { xmlDocumentToJson, type JsonValue } from '../xml-body/xml-to-json-conversion.js';
import { parseXmlBody } from '../xml-body/xml-document.js';
import { LiquidDate, maxLiquidDepth } from './liquid-values.js';

export interface LiquidBodyOptions {
  xsiNil: 'blank' | 'null';
  parseDate: boolean;
}

/** The `body` value of a template rendered over `content` of `contentType`; throws on a malformed JSON or XML body. */
export function liquidBody(content: Buffer, contentType: string | undefined, options: LiquidBodyOptions): unknown {
  const text = content.toString('utf8');
  if (text.trim() === '') return '';
  if (isJsonMediaType(contentType)) return jsonValue(JSON.parse(text) as JsonValue, options.parseDate, 0);
  if (isXmlMediaType(contentType)) {
    return xmlDocumentToJson(parseXmlBody(text), { kind: 'javascript-friendly', alwaysArrayChildElements: false, nil: options.xsiNil, qualifiedNames: true });
  }
  return text;
}

function jsonValue(value: JsonValue, dates: boolean, depth: number): unknown {
  if (depth > maxLiquidDepth) throw new Error(`The JSON body is nested deeper than ${maxLiquidDepth} levels.`);
  if (typeof value === 'string') {
    if (!dates || !isJsonDateTime(value)) return value;
    const parsed = parseDate(value);
    return parsed ? LiquidDate.fromParsed(parsed) : value;
  }
  if (Array.isArray(value)) return value.map((item) => jsonValue(item, dates, depth + 1));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [name, item] of Object.entries(value)) out[name] = jsonValue(item, dates, depth + 1);
    return out;
  }
  return value;
}
