/**
 * JSON → XML as Azure's `json-to-xml` produces it (docs/policies/json-to-xml.md): an object with
 * one property holding an object becomes that element as the root, anything else is wrapped in
 * `<Document>`; an array repeats its element; `null` is `xsi:nil="true"`; booleans are written
 * as .NET writes them (`True`). `namespace-prefix` properties become namespace declarations,
 * `namespace-separator` turns `prefix<sep>local` names into `prefix:local` for declared
 * prefixes, and the properties of the `attribute-block-name` object become attributes.
 * Names that are not XML names are encoded as XmlConvert.EncodeName does (`first name` →
 * `first_x0020_name`).
 */
import { formatDate, parseDate } from '../../expressions/runtime/datetime.js';
import type { JsonValue } from './xml-to-json-conversion.js';

export interface JsonToXmlOptions {
  /** Whether date-like strings are parsed and written in XML's round-trip form; false copies them. */
  parseDate: boolean;
  namespaceSeparator: string;
  namespacePrefix: string | undefined;
  attributeBlockName: string | undefined;
}

const xsiNamespace = 'http://www.w3.org/2001/XMLSchema-instance';
/** Newlines and indentation of XmlWriter on the managed (Windows) gateway, as xml-linq.ts writes them. */
const newLine = '\r\n';
const indentUnit = '  ';
/** The deepest nesting converted: the writer recurses, and real documents stay far below. */
export const maxJsonDepth = 256;

/** The XML text of a parsed JSON value. */
export function jsonToXml(value: JsonValue, options: JsonToXmlOptions): string {
  const writer = new XmlTextBuilder(options);
  if (isObject(value)) {
    const names = Object.keys(value);
    const only = names.length === 1 ? value[names[0]!] : undefined;
    if (only !== undefined && isObject(only)) {
      writer.element(names[0]!, only, 0, new Set());
      return writer.text();
    }
  }
  writer.element('Document', Array.isArray(value) ? { Item: value } : value, 0, new Set());
  return writer.text();
}

function isObject(value: JsonValue): value is { [name: string]: JsonValue } {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

class XmlTextBuilder {
  private readonly parts: string[] = [];
  constructor(private readonly options: JsonToXmlOptions) {}

  text(): string {
    return this.parts.join('');
  }

  /** Writes `<name …>value</name>` (an array writes one element per item). */
  element(name: string, value: JsonValue, depth: number, prefixes: ReadonlySet<string>): void {
    if (depth > maxJsonDepth) throw new Error(`The JSON body is nested deeper than ${maxJsonDepth} levels.`);
    if (Array.isArray(value)) {
      // An empty array still names its element, empty (Azure: `"children": []` → `<children />`).
      if (value.length === 0) this.element(name, {}, depth, prefixes);
      for (const item of value) this.element(name, item, depth, prefixes);
      return;
    }
    const indent = depth === 0 ? '' : newLine + indentUnit.repeat(depth);
    const attributes: Array<[string, string]> = [];
    const children: Array<[string, JsonValue]> = [];
    let scope = prefixes;
    let text: string | undefined;
    if (value === null) {
      attributes.push(['xsi:nil', 'true'], ['xmlns:xsi', xsiNamespace]);
    } else if (isObject(value)) {
      const declared = new Set(prefixes);
      for (const [key, child] of Object.entries(value)) {
        const declaration = this.namespaceDeclaration(key);
        if (declaration !== undefined && !isObject(child) && !Array.isArray(child)) {
          attributes.push([declaration === '' ? 'xmlns' : `xmlns:${declaration}`, scalarText(child, this.options)]);
          if (declaration !== '') declared.add(declaration);
        } else if (this.options.attributeBlockName !== undefined && key === this.options.attributeBlockName && isObject(child)) {
          for (const [attr, attrValue] of Object.entries(child)) attributes.push([attr, isObject(attrValue) || Array.isArray(attrValue) ? JSON.stringify(attrValue) : scalarText(attrValue, this.options)]);
        } else {
          children.push([key, child]);
        }
      }
      scope = declared;
    } else {
      text = scalarText(value, this.options);
    }
    const qualified = this.xmlName(name, scope);
    const attrs = attributes.map(([n, v]) => ` ${this.xmlName(n, scope)}="${escapeAttribute(v)}"`).join('');
    if (children.length === 0 && (text === undefined || text === '')) {
      this.parts.push(`${indent}<${qualified}${attrs} />`);
      return;
    }
    this.parts.push(`${indent}<${qualified}${attrs}>`);
    if (text !== undefined) {
      this.parts.push(escapeText(text), `</${qualified}>`);
      return;
    }
    for (const [key, child] of children) this.element(key, child, depth + 1, scope);
    this.parts.push(`${newLine}${indentUnit.repeat(depth)}</${qualified}>`);
  }

  /** The prefix a namespace-declaring property declares ('' for the default namespace), or undefined. */
  private namespaceDeclaration(key: string): string | undefined {
    const prefix = this.options.namespacePrefix;
    if (!prefix || !key.startsWith(prefix)) return undefined;
    const rest = key.slice(prefix.length);
    if (rest === '') return '';
    const separator = rest[0];
    if (separator === ':' || separator === this.options.namespaceSeparator) return rest.slice(1) || undefined;
    return undefined;
  }

  /** A JSON name as an XML name: `prefix<sep>local` for a declared prefix, else encoded. */
  private xmlName(key: string, prefixes: ReadonlySet<string>): string {
    const separators = [':', this.options.namespaceSeparator].filter((s) => s !== '');
    for (const separator of separators) {
      const at = key.indexOf(separator);
      if (at <= 0) continue;
      const prefix = key.slice(0, at);
      if (prefixes.has(prefix) || prefix === 'xmlns' || prefix === 'xsi') return `${encodeName(prefix)}:${encodeName(key.slice(at + separator.length))}`;
    }
    return encodeName(key);
  }
}

/** A scalar as text: strings as given (dates normalised unless parse-date is false), booleans as .NET writes them. */
function scalarText(value: JsonValue, options: JsonToXmlOptions): string {
  if (value === null) return '';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return options.parseDate ? roundTripDate(value) : value;
  return JSON.stringify(value);
}

// Newtonsoft's DateParseHandling recognises ISO 8601 date-times only (not bare dates).
const isoDateTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})?$/;

/** Whether a JSON string is a date-time Newtonsoft's date parsing would read as a date. */
export function isJsonDateTime(text: string): boolean {
  return isoDateTime.test(text);
}

/** An ISO date-time written as XmlConvert writes a parsed DateTime (round-trip, trailing zeros trimmed). */
function roundTripDate(text: string): string {
  if (!isJsonDateTime(text)) return text;
  const parsed = parseDate(text);
  if (!parsed) return text;
  const base = formatDate(parsed.ticks, 0, 'Unspecified', "yyyy'-'MM'-'dd'T'HH':'mm':'ss.FFFFFFF", false).replace(/\.$/, '');
  if (parsed.offsetMinutes === undefined) return base;
  if (parsed.offsetMinutes === 0 && /Z$/i.test(text)) return base + 'Z';
  const sign = parsed.offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(parsed.offsetMinutes);
  return `${base}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** XmlConvert.EncodeName: characters not allowed in an XML name become `_xHHHH_`. */
export function encodeName(name: string): string {
  if (name === '') return '_x0000_';
  let out = '';
  let index = 0;
  for (const ch of name) {
    const code = ch.codePointAt(0)!;
    const allowed = index === 0 ? isNameStart(ch) : isNameChar(ch);
    // An underscore that would read as an escape is itself escaped.
    if (ch === '_' && /^_x[0-9A-Fa-f]{4}_/.test(name.slice(index))) out += '_x005F_';
    else if (allowed) out += ch;
    else out += code > 0xffff ? `_x${code.toString(16).toUpperCase().padStart(8, '0')}_` : `_x${code.toString(16).toUpperCase().padStart(4, '0')}_`;
    index += ch.length;
  }
  return out;
}

function isNameStart(ch: string): boolean {
  return /[A-Za-z_\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C-\u200D\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD]/.test(ch);
}

function isNameChar(ch: string): boolean {
  return isNameStart(ch) || /[-.0-9\u00B7\u0300-\u036F\u203F-\u2040]/.test(ch);
}

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeAttribute(text: string): string {
  return escapeText(text).replace(/"/g, '&quot;');
}
