/**
 * A message body parsed as XML for the conversion policies (xml-to-json, set-body's Liquid
 * `body`): elements keep their qualified names (`soap:Envelope`) and attributes in document
 * order, the XML declaration is kept, comments and processing instructions are dropped. Built
 * on saxes without its namespace mode (names stay as written); depth and node count are bounded
 * so a hostile body cannot exhaust the stack or memory beyond its own size.
 */
import { SaxesParser } from 'saxes';

export interface XmlBodyElement {
  name: string;
  attributes: Array<[string, string]>;
  children: XmlBodyNode[];
}

export type XmlBodyNode = XmlBodyElement | string;

export interface XmlBodyDocument {
  /** The attributes of `<?xml …?>` (version, encoding, standalone) when present. */
  declaration: Array<[string, string]>;
  root: XmlBodyElement;
}

/** The deepest element nesting a body may have (Azure's XmlReader default limit is far above real documents). */
export const maxXmlBodyDepth = 256;

/** A body that is not well-formed XML, or nested deeper than maxXmlBodyDepth. */
export class XmlBodyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'XmlBodyError';
  }
}

/** Parses `text` as one XML document; throws XmlBodyError. */
export function parseXmlBody(text: string): XmlBodyDocument {
  const parser = new SaxesParser({ xmlns: false });
  const stack: XmlBodyElement[] = [];
  const declaration: Array<[string, string]> = [];
  let root: XmlBodyElement | undefined;
  let failure: string | undefined;
  parser.on('error', (err) => {
    failure ??= err.message;
  });
  parser.on('xmldecl', (decl) => {
    if (decl.version !== undefined) declaration.push(['version', decl.version]);
    if (decl.encoding !== undefined) declaration.push(['encoding', decl.encoding]);
    if (decl.standalone !== undefined) declaration.push(['standalone', decl.standalone]);
  });
  parser.on('opentag', (tag) => {
    if (stack.length >= maxXmlBodyDepth) {
      failure ??= `The XML body is nested deeper than ${maxXmlBodyDepth} elements.`;
      throw new XmlBodyError(failure);
    }
    const element: XmlBodyElement = {
      name: tag.name,
      attributes: Object.entries(tag.attributes as Record<string, string>),
      children: [],
    };
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(element);
    else root = element;
    if (!tag.isSelfClosing) stack.push(element);
  });
  parser.on('closetag', (tag) => {
    if (!tag.isSelfClosing) stack.pop();
  });
  const addText = (value: string): void => {
    const parent = stack[stack.length - 1];
    if (!parent) return;
    const last = parent.children[parent.children.length - 1];
    // Text split by a comment or a CDATA section is one text, as XmlReader reports it.
    if (typeof last === 'string') parent.children[parent.children.length - 1] = last + value;
    else parent.children.push(value);
  };
  parser.on('text', addText);
  parser.on('cdata', addText);
  try {
    parser.write(text).close();
  } catch (err) {
    failure ??= (err as Error).message;
  }
  if (failure !== undefined) throw new XmlBodyError(failure);
  if (!root) throw new XmlBodyError('Root element is missing.');
  return { declaration, root };
}

/** The element children of an element. */
export function elementChildren(element: XmlBodyElement): XmlBodyElement[] {
  return element.children.filter((c): c is XmlBodyElement => typeof c !== 'string');
}

/** The text of an element's direct text children. */
export function directText(element: XmlBodyElement): string {
  return element.children.filter((c): c is string => typeof c === 'string').join('');
}
