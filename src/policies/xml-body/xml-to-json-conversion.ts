/**
 * XML → JSON as Azure's `xml-to-json` produces it (docs/policies/xml-to-json.md): attributes
 * become `@name` properties, a namespace prefix's `:` becomes `$` (`soap:Envelope` →
 * `soap$Envelope`), repeated child elements become an array (every child element with
 * `always-array-child-elements`), text next to attributes or elements becomes `#text`, an empty
 * element `null`. `direct` also keeps the XML declaration as top-level properties (`"version":
 * "1.0"`), as Azure's output shows; `javascript-friendly` drops the declaration and the
 * namespace declarations, which mean nothing to a JavaScript reader.
 */
import { directText, elementChildren, type XmlBodyDocument, type XmlBodyElement } from './xml-document.js';

export type XmlToJsonKind = 'javascript-friendly' | 'direct';

export interface XmlToJsonOptions {
  kind: XmlToJsonKind;
  alwaysArrayChildElements: boolean;
  /** How an element with `xsi:nil="true"` reads: null, or an empty string (set-body's `xsi-nil="blank"`). */
  nil?: 'null' | 'blank';
  /** Names as written (`soap:Envelope`) instead of Azure's `soap$Envelope` (set-body's Liquid `body`). */
  qualifiedNames?: boolean;
}

export type JsonValue = string | number | boolean | null | JsonValue[] | { [name: string]: JsonValue };

/** The JSON value of a whole document (an object with the root element's property). */
export function xmlDocumentToJson(doc: XmlBodyDocument, options: XmlToJsonOptions): { [name: string]: JsonValue } {
  const out: { [name: string]: JsonValue } = {};
  if (options.kind === 'direct') for (const [name, value] of doc.declaration) out[name] = value;
  out[jsonName(doc.root.name, options)] = elementValue(doc.root, options);
  return out;
}

/** `prefix:local` → `prefix$local`. */
function jsonName(name: string, options: XmlToJsonOptions): string {
  return options.qualifiedNames ? name : name.replace(/:/g, '$');
}

function isNamespaceDeclaration(name: string): boolean {
  return name === 'xmlns' || name.startsWith('xmlns:');
}

function elementValue(element: XmlBodyElement, options: XmlToJsonOptions): JsonValue {
  const attributes = element.attributes.filter(([name]) => options.kind === 'direct' || !isNamespaceDeclaration(name));
  const children = elementChildren(element);
  const text = directText(element);
  const nil = element.attributes.some(([name, value]) => /(^|:)nil$/.test(name) && value.trim() === 'true');
  if (nil && options.nil !== undefined) return options.nil === 'null' ? null : '';
  if (attributes.length === 0 && children.length === 0) return text === '' ? null : text;
  const out: { [name: string]: JsonValue } = {};
  for (const [name, value] of attributes) out['@' + jsonName(name, options)] = value;
  if (text.trim() !== '') out['#text'] = children.length === 0 ? text : text.trim();
  const groups = new Map<string, JsonValue[]>();
  for (const child of children) {
    const key = jsonName(child.name, options);
    const values = groups.get(key);
    const value = elementValue(child, options);
    if (values) values.push(value);
    else groups.set(key, [value]);
  }
  for (const [key, values] of groups) {
    out[key] = values.length === 1 && !options.alwaysArrayChildElements ? values[0]! : values;
  }
  return out;
}
