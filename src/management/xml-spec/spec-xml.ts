/**
 * A bounded, namespace-aware XML reader for WSDL and WADL documents. These come from files and
 * from links anyone can publish, so the reader refuses a DOCTYPE (no DTD, no entity
 * expansion: saxes knows only the five predefined entities), and limits the text size, the
 * element depth and the element count before any of them can cost the process.
 */
import { SaxesParser } from 'saxes';

/** One element: its namespace URI, local name, attributes (by qualified name) and children. */
export interface SpecElement {
  ns: string;
  local: string;
  attributes: Readonly<Record<string, string>>;
  children: SpecElement[];
  /** The element's own text (direct text children joined). */
  text: string;
  /** The prefix → namespace bindings in scope, to resolve QName attribute values. */
  scope: ReadonlyMap<string, string>;
  line: number;
}

/** A document that is not one the reader accepts; the caller names the file or field. */
export class SpecXmlError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'SpecXmlError';
  }
}

/** Limits on one document. */
export const specXmlLimits = { maxChars: 8 * 1024 * 1024, maxDepth: 128, maxElements: 200_000 } as const;

/** Parses `text`; throws SpecXmlError for malformed XML, a DOCTYPE, or a document past the limits. */
export function parseSpecXml(text: string): SpecElement {
  if (text.length > specXmlLimits.maxChars) throw new SpecXmlError(`the document is larger than ${specXmlLimits.maxChars} characters`);
  const parser = new SaxesParser({ position: true });
  const stack: SpecElement[] = [];
  let root: SpecElement | undefined;
  let failure: string | undefined;
  let count = 0;
  const stop = (reason: string): never => {
    failure ??= reason;
    throw new SpecXmlError(reason);
  };
  parser.on('error', (err) => {
    failure ??= `${err.message.replace(/^(?:[^:\n]*:)?\d+:\d+: /, '')}`;
  });
  parser.on('doctype', () => stop(`line ${parser.line}: a DOCTYPE is not allowed (no DTDs or entity declarations)`));
  parser.on('opentag', (tag) => {
    if (++count > specXmlLimits.maxElements) stop(`the document has more than ${specXmlLimits.maxElements} elements`);
    if (stack.length >= specXmlLimits.maxDepth) stop(`line ${parser.line}: elements are nested deeper than ${specXmlLimits.maxDepth} levels`);
    const parent = stack[stack.length - 1];
    const attributes = Object.create(null) as Record<string, string>;
    let scope: Map<string, string> | ReadonlyMap<string, string> = parent?.scope ?? new Map([['xml', 'http://www.w3.org/XML/1998/namespace']]);
    let copied = false;
    for (const [name, value] of Object.entries(tag.attributes as Record<string, string>)) {
      attributes[name] = value;
      if (name === 'xmlns' || name.startsWith('xmlns:')) {
        if (!copied) {
          scope = new Map(scope);
          copied = true;
        }
        (scope as Map<string, string>).set(name === 'xmlns' ? '' : name.slice(6), value.trim());
      }
    }
    const colon = tag.name.indexOf(':');
    const prefix = colon === -1 ? '' : tag.name.slice(0, colon);
    const ns = scope.get(prefix);
    if (ns === undefined && prefix !== '') stop(`line ${parser.line}: unbound namespace prefix '${prefix}'`);
    const element: SpecElement = { ns: ns ?? '', local: tag.name.slice(colon + 1), attributes, children: [], text: '', scope, line: parser.line };
    if (parent) parent.children.push(element);
    else if (root) stop(`line ${parser.line}: more than one root element`);
    else root = element;
    stack.push(element);
  });
  parser.on('closetag', () => {
    stack.pop();
  });
  const addText = (t: string): void => {
    const parent = stack[stack.length - 1];
    if (parent) parent.text += t;
  };
  parser.on('text', addText);
  parser.on('cdata', addText);
  try {
    parser.write(text).close();
  } catch (err) {
    if (!(err instanceof SpecXmlError)) failure ??= (err as Error).message;
  }
  if (failure !== undefined) throw new SpecXmlError(failure.startsWith('line ') || failure.startsWith('the document') ? failure : `not well-formed XML: ${failure}`);
  if (!root) throw new SpecXmlError('not well-formed XML: the root element is missing');
  return root;
}

/** The children of `element` with namespace `ns` (any of several) and local name `local`. */
export function childrenNamed(element: SpecElement, ns: string | readonly string[], local: string): SpecElement[] {
  const spaces = typeof ns === 'string' ? [ns] : ns;
  return element.children.filter((c) => c.local === local && spaces.includes(c.ns));
}

/** An attribute's value, or undefined. */
export function attr(element: SpecElement, name: string): string | undefined {
  return Object.hasOwn(element.attributes, name) ? element.attributes[name] : undefined;
}

/** Resolves a QName attribute value (`tns:Name`) in the element's scope: namespace and local name. */
export function qname(element: SpecElement, value: string): { ns: string; local: string } {
  const colon = value.indexOf(':');
  if (colon === -1) return { ns: element.scope.get('') ?? '', local: value };
  return { ns: element.scope.get(value.slice(0, colon)) ?? '', local: value.slice(colon + 1) };
}
