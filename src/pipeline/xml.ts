/**
 * A small XML tree with source positions, built on saxes. Policy documents are parsed once per
 * snapshot; every element and attribute keeps its line and column so compile errors can name
 * them the way Azure does (reference §2.5).
 */
import { SaxesParser } from 'saxes';
import { protectRawExpressions, restoreRawExpressions } from './raw-expressions.js';

export interface SourcePosition {
  line: number;
  column: number;
}

export interface XmlAttribute extends SourcePosition {
  name: string;
  value: string;
}

export interface XmlText extends SourcePosition {
  kind: 'text';
  text: string;
  cdata: boolean;
}

export interface XmlElement extends SourcePosition {
  kind: 'element';
  name: string;
  attributes: XmlAttribute[];
  children: XmlNode[];
}

export type XmlNode = XmlElement | XmlText;

/** A document that is not well-formed XML. */
export class XmlSyntaxError extends Error {
  constructor(
    readonly reason: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`${reason} Line ${line}, position ${column}.`);
    this.name = 'XmlSyntaxError';
  }
}

/** Parses a whole document and returns its root element; throws XmlSyntaxError. */
export function parseXml(text: string): XmlElement {
  const parser = new SaxesParser({ position: true });
  // Positions come from offsets into the original text: the raw-expression protection keeps
  // lengths but may hide newlines from the parser's own line count.
  const where = positionFinder(text);
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let failure: XmlSyntaxError | undefined;
  let pendingStart: SourcePosition = { line: 1, column: 1 };
  let pendingAttributes: XmlAttribute[] = [];

  parser.on('error', (err) => {
    if (!failure) {
      // The position of the character that made the document invalid.
      const at = where(parser.position - 1);
      failure = new XmlSyntaxError(cleanSaxMessage(err.message), at.line, at.column);
    }
  });
  parser.on('opentagstart', (tag) => {
    pendingStart = where(parser.position - tag.name.length - 2);
    pendingAttributes = [];
  });
  parser.on('attribute', (attr) => {
    const at = where(parser.position - attr.value.length - attr.name.length - 3);
    pendingAttributes.push({ name: attr.name, value: restoreRawExpressions(attr.value), ...at });
  });
  parser.on('opentag', (tag) => {
    const element: XmlElement = {
      kind: 'element',
      name: tag.name,
      attributes: pendingAttributes,
      children: [],
      line: pendingStart.line,
      column: pendingStart.column,
    };
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(element);
    else if (!root) root = element;
    stack.push(element);
  });
  parser.on('closetag', () => {
    stack.pop();
  });
  const addText = (text: string, cdata: boolean): void => {
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push({ kind: 'text', text: restoreRawExpressions(text), cdata, ...where(parser.position) });
  };
  parser.on('text', (text) => addText(text, false));
  parser.on('cdata', (text) => addText(text, true));

  try {
    parser.write(protectRawExpressions(text)).close();
  } catch (err) {
    if (!failure) {
      // The position of the character that made the document invalid.
      const at = where(parser.position - 1);
      failure = new XmlSyntaxError(cleanSaxMessage((err as Error).message), at.line, at.column);
    }
  }
  if (failure) throw failure;
  if (!root) throw new XmlSyntaxError('Root element is missing.', 1, 1);
  return root;
}

/** Maps a 0-based offset in `text` to a 1-based line and column. */
function positionFinder(text: string): (offset: number) => SourcePosition {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return (offset) => {
    const o = Math.max(0, Math.min(offset, text.length));
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: o - starts[lo]! + 1 };
  };
}

function cleanSaxMessage(message: string): string {
  // saxes prefixes "line:column: "; positions are reported separately.
  return message.replace(/^(?:[^:\n]*:)?\d+:\d+: /, '').replace(/\.?$/, '.');
}

/** The element children of an element, optionally only those with a given name. */
export function childElements(element: XmlElement, name?: string): XmlElement[] {
  const out: XmlElement[] = [];
  for (const child of element.children) {
    if (child.kind === 'element' && (name === undefined || child.name === name)) out.push(child);
  }
  return out;
}

/** The concatenated text content of an element's direct text children. */
export function textContent(element: XmlElement): string {
  let out = '';
  for (const child of element.children) if (child.kind === 'text') out += child.text;
  return out;
}

/** An attribute by name. */
export function attribute(element: XmlElement, name: string): XmlAttribute | undefined {
  return element.attributes.find((a) => a.name === name);
}

/**
 * An element's content as written: its text when it holds only text (CDATA unwrapped), else
 * its children serialised as XML (set-body's content may be markup, a SOAP envelope for one).
 */
export function innerXml(element: XmlElement): string {
  if (element.children.every((c) => c.kind === 'text')) return textContent(element);
  return element.children.map(serializeXml).join('');
}

/** Serialises an element back to XML text (used for fragments and debugging). */
export function serializeXml(node: XmlNode): string {
  if (node.kind === 'text') return node.cdata ? `<![CDATA[${node.text}]]>` : escapeText(node.text);
  const attrs = node.attributes.map((a) => ` ${a.name}="${escapeAttribute(a.value)}"`).join('');
  if (node.children.length === 0) return `<${node.name}${attrs} />`;
  return `<${node.name}${attrs}>${node.children.map(serializeXml).join('')}</${node.name}>`;
}

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeAttribute(text: string): string {
  return escapeText(text).replace(/"/g, '&quot;');
}
