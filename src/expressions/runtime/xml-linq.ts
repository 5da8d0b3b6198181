/**
 * System.Xml.Linq: XDocument/XElement/XAttribute/XName/XNamespace parsed with saxes
 * (namespace-aware), with the navigation members policies use (Root, Element(s), Descendants,
 * Attribute(s), Value, Name.LocalName), the editing members (Add, Remove, SetAttributeValue …,
 * xml-linq-editing.ts) and XmlWriter-style ToString().
 */
import { SaxesParser } from 'saxes';
import { raise } from '../errors.js';
import { display } from './display.js';
import { noOverload, strArg, type MemberTable } from './member-table.js';
import { Runtime, defaultLimits } from './budget.js';
import { addContent, contentText, setElementText, xattributeEditing, xelementEditing } from './xml-linq-editing.js';
import { EnumValue } from './values.js';

/** Newlines of XmlWriter on the managed (Windows) gateway, like JSON's. */
const newLine = '\r\n';

/** The runtime value of XName. */
export class XNameValue {
  readonly typeName = 'System.Xml.Linq.XName';
  constructor(
    readonly localName: string,
    readonly namespaceName: string,
  ) {}
  toString(): string {
    return this.namespaceName ? `{${this.namespaceName}}${this.localName}` : this.localName;
  }
  valueKey(): string {
    return 'xn:' + this.toString();
  }
}

/** The runtime value of XNamespace. */
export class XNamespaceValue {
  readonly typeName = 'System.Xml.Linq.XNamespace';
  constructor(readonly uri: string) {}
  toString(): string {
    return this.uri;
  }
  /** `ns + "local"`. */
  combineName(local: string): XNameValue {
    return new XNameValue(local, this.uri);
  }
}

/** The runtime value of XAttribute. */
export class XAttributeValue {
  readonly typeName = 'System.Xml.Linq.XAttribute';
  parent: XElementValue | null = null;
  constructor(
    readonly name: XNameValue,
    readonly qualified: string,
    public value: string,
  ) {}
  toString(): string {
    return `${this.qualified}="${escapeAttribute(this.value)}"`;
  }
}

/** The runtime value of XText. */
export class XTextValue {
  readonly typeName = 'System.Xml.Linq.XText';
  parent: XElementValue | null = null;
  constructor(
    public value: string,
    readonly cdata = false,
  ) {}
  toString(): string {
    return this.cdata ? `<![CDATA[${this.value}]]>` : escapeText(this.value);
  }
}

/** The runtime value of XElement. */
export class XElementValue {
  readonly typeName = 'System.Xml.Linq.XElement';
  parent: XElementValue | null = null;
  readonly attributes: XAttributeValue[] = [];
  readonly nodes: Array<XElementValue | XTextValue> = [];
  constructor(
    readonly name: XNameValue,
    readonly qualified: string,
  ) {}
  toString(): string {
    return writeElement(this);
  }
}

/** The document whose root an element is (XElementValue.parent stays null for a root). */
const documents = new WeakMap<XElementValue, XDocumentValue>();

export function documentOf(root: XElementValue): XDocumentValue | undefined {
  return documents.get(root);
}

/** The runtime value of XDocument. */
export class XDocumentValue {
  readonly typeName = 'System.Xml.Linq.XDocument';
  constructor(readonly root: XElementValue | null) {
    if (root) documents.set(root, this);
  }
  toString(): string {
    return this.root ? writeElement(this.root) : '';
  }
}

function escapeText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeAttribute(s: string): string {
  return escapeText(s).replace(/"/g, '&quot;');
}

/** Fails when text being written grows past the string limit. */
export type LengthCheck = (length: number) => void;

const defaultLengthCheck: LengthCheck = (length) => new Runtime(defaultLimits, Date.now).checkLength(length);

/**
 * XmlWriter's indented form. Iterative, so a deeply nested document neither overflows the
 * stack nor (its indentation growing with depth) builds text past the string limit.
 */
function writeElement(top: XElementValue, checkLength: LengthCheck = defaultLengthCheck): string {
  const parts: string[] = [];
  let length = 0;
  const emit = (text: string): void => {
    length += text.length;
    if (length > 4096) checkLength(length);
    parts.push(text);
  };
  const work: Array<string | { e: XElementValue; depth: number }> = [{ e: top, depth: 0 }];
  while (work.length > 0) {
    const item = work.pop()!;
    if (typeof item === 'string') {
      emit(item);
      continue;
    }
    const { e, depth } = item;
    const indent = '  '.repeat(depth);
    const attrs = e.attributes.map((a) => ' ' + a.toString()).join('');
    if (e.nodes.length === 0) {
      emit(`${indent}<${e.qualified}${attrs} />`);
      continue;
    }
    const onlyElements = e.nodes.every((n) => n instanceof XElementValue);
    if (!onlyElements) {
      // Mixed or text content is written inline, as XmlWriter does.
      emit(`${indent}<${e.qualified}${attrs}>`);
      work.push(`</${e.qualified}>`);
      for (let i = e.nodes.length - 1; i >= 0; i--) {
        const n = e.nodes[i]!;
        work.push(n instanceof XElementValue ? { e: n, depth: 0 } : n.toString());
      }
      continue;
    }
    emit(`${indent}<${e.qualified}${attrs}>${newLine}`);
    work.push(`${newLine}${indent}</${e.qualified}>`);
    for (let i = e.nodes.length - 1; i >= 0; i--) {
      work.push({ e: e.nodes[i] as XElementValue, depth: depth + 1 });
      if (i > 0) work.push(newLine);
    }
  }
  return parts.join('');
}

const xmlNamespace = 'http://www.w3.org/XML/1998/namespace';
const xmlnsNamespace = 'http://www.w3.org/2000/xmlns/';

/** A malformed name or namespace use, reported as saxes reports its own errors. */
class XmlSyntaxError extends Error {}

/**
 * The namespace bindings in scope while parsing: one stack of URIs per prefix, pushed by an
 * element's `xmlns` attributes and popped when it closes, so resolving a prefix costs the same
 * at any depth. (saxes' own namespace mode searches every open element for an undeclared
 * prefix, which made deep documents parse in time quadratic in their depth.)
 */
class NamespaceScope {
  private readonly bindings = new Map<string, string[]>([['xml', [xmlNamespace]], ['xmlns', [xmlnsNamespace]], ['', ['']]]);

  resolve(prefix: string): string | undefined {
    const uris = this.bindings.get(prefix);
    return uris?.[uris.length - 1];
  }

  declare(prefix: string, uri: string): void {
    checkBinding(prefix, uri);
    const uris = this.bindings.get(prefix);
    if (uris) uris.push(uri);
    else this.bindings.set(prefix, [uri]);
  }

  undeclare(prefixes: readonly string[]): void {
    for (const prefix of prefixes) this.bindings.get(prefix)!.pop();
  }
}

/** The reserved bindings of Namespaces in XML 1.0 §3. */
function checkBinding(prefix: string, uri: string): void {
  if (prefix === 'xml' && uri !== xmlNamespace) throw new XmlSyntaxError(`xml prefix must be bound to ${xmlNamespace}.`);
  if (prefix === 'xmlns') throw new XmlSyntaxError(`xmlns prefix must be bound to ${xmlnsNamespace}.`);
  if (uri === xmlnsNamespace) {
    throw new XmlSyntaxError(prefix === '' ? `the default namespace may not be set to ${uri}.` : `may not assign a prefix (even "xmlns") to the URI ${xmlnsNamespace}.`);
  }
  if (uri === xmlNamespace && prefix !== 'xml') {
    throw new XmlSyntaxError(prefix === '' ? `the default namespace may not be set to ${uri}.` : 'may not assign the xml namespace to another prefix.');
  }
}

function qualifiedName(name: string): { prefix: string; local: string } {
  const colon = name.indexOf(':');
  if (colon === -1) return { prefix: '', local: name };
  const prefix = name.slice(0, colon);
  const local = name.slice(colon + 1);
  if (prefix === '' || local === '' || local.includes(':')) throw new XmlSyntaxError(`malformed name: ${name}.`);
  return { prefix, local };
}

function resolved(scope: NamespaceScope, prefix: string): string {
  const uri = scope.resolve(prefix);
  if (uri === undefined) throw new XmlSyntaxError(`unbound namespace prefix: ${JSON.stringify(prefix)}.`);
  return uri;
}

/** An element from a start tag, its namespace declarations applied to `scope`. */
function elementOf(tagName: string, attributes: Record<string, string>, scope: NamespaceScope): { element: XElementValue; declared: string[] } {
  const names = Object.keys(attributes);
  const declared: string[] = [];
  for (const name of names) {
    if (name !== 'xmlns' && !name.startsWith('xmlns:')) continue;
    const prefix = name === 'xmlns' ? '' : qualifiedName(name).local;
    const uri = attributes[name]!.trim();
    if (prefix !== '' && uri === '') throw new XmlSyntaxError('invalid attempt to undefine prefix in XML 1.0');
    scope.declare(prefix, uri);
    declared.push(prefix);
  }
  const tag = qualifiedName(tagName);
  if (tag.prefix === 'xmlns') throw new XmlSyntaxError('tags may not have "xmlns" as prefix.');
  const element = new XElementValue(new XNameValue(tag.local, resolved(scope, tag.prefix)), tagName);
  if (names.length === 0) return { element, declared };
  const seen = new Set<string>();
  for (const name of names) {
    const { prefix, local } = qualifiedName(name);
    let xname: XNameValue;
    if (name === 'xmlns') xname = new XNameValue('xmlns', '');
    else if (prefix === 'xmlns') xname = new XNameValue(local, xmlnsNamespace);
    // Unprefixed attributes are in no namespace (the default namespace does not apply to them).
    else xname = new XNameValue(local, prefix === '' ? '' : resolved(scope, prefix));
    const key = xname.toString();
    if (seen.has(key)) throw new XmlSyntaxError(`duplicate attribute: ${key}.`);
    seen.add(key);
    const attribute = new XAttributeValue(xname, name, attributes[name]!);
    attribute.parent = element;
    element.attributes.push(attribute);
  }
  return { element, declared };
}

/** XDocument.Parse / XElement.Parse; malformed XML is an XmlException. Linear in the text. */
export function parseXmlDocument(text: string, rt: Runtime): XDocumentValue {
  rt.work(text.length);
  const parser = new SaxesParser({ position: true });
  const scope = new NamespaceScope();
  const stack: Array<{ element: XElementValue; declared: string[] }> = [];
  let root: XElementValue | null = null;
  let error: Error | undefined;
  let count = 0;
  parser.on('error', (err) => {
    error ??= err;
  });
  parser.on('opentag', (tag) => {
    rt.step();
    rt.checkSize(++count);
    const open = elementOf(tag.name, tag.attributes as Record<string, string>, scope);
    const el = open.element;
    const parent = stack[stack.length - 1]?.element;
    if (parent) {
      el.parent = parent;
      parent.nodes.push(el);
    } else if (root) error ??= new Error('There are multiple root elements.');
    else root = el;
    stack.push(open);
  });
  parser.on('closetag', () => {
    const closed = stack.pop();
    if (closed) scope.undeclare(closed.declared);
  });
  const addText = (text: string, cdata: boolean): void => {
    const parent = stack[stack.length - 1]?.element;
    if (!parent) return;
    // Whitespace between elements is not kept (LoadOptions.None).
    if (!cdata && text.trim() === '') return;
    const t = new XTextValue(text, cdata);
    t.parent = parent;
    parent.nodes.push(t);
  };
  parser.on('text', (t) => addText(t, false));
  parser.on('cdata', (t) => addText(t, true));
  try {
    parser.write(text).close();
  } catch (err) {
    // Namespace errors stop the parse at once; budget errors are not XML problems.
    if (!(err instanceof XmlSyntaxError)) throw err;
    error ??= err;
  }
  if (error || !root) {
    const message = (error?.message ?? 'Root element is missing.').replace(/^[^:]*:\d+:\d+: /, '');
    return raise('System.Xml.XmlException', `${message} Line ${parser.line}, position ${parser.column}.`);
  }
  return new XDocumentValue(root);
}

/** XElement.Parse: the root element, in no document. */
export function parseXmlElement(text: string, rt: Runtime): XElementValue {
  const root = parseXmlDocument(text, rt).root!;
  documents.delete(root);
  return root;
}

/** An XName from a string (`"{ns}local"` or `"local"`) or an XName. */
export function toXName(v: unknown): XNameValue {
  if (v instanceof XNameValue) return v;
  const s = strArg(v, 'name');
  const m = /^\{([^}]*)\}(.+)$/.exec(s);
  return m ? new XNameValue(m[2]!, m[1]!) : new XNameValue(s, '');
}

export function sameName(a: XNameValue, b: XNameValue): boolean {
  return a.localName === b.localName && a.namespaceName === b.namespaceName;
}

/** The element's text content in document order (iterative: documents may be deep). */
function value(e: XElementValue): string {
  const parts: string[] = [];
  const work: Array<XElementValue | XTextValue> = e.nodes.slice().reverse();
  while (work.length > 0) {
    const n = work.pop()!;
    if (n instanceof XTextValue) parts.push(n.value);
    else for (let i = n.nodes.length - 1; i >= 0; i--) work.push(n.nodes[i]!);
  }
  return parts.join('');
}

/** The element's descendant elements in document order, appended to `out`. */
function descendants(e: XElementValue, out: XElementValue[]): XElementValue[] {
  const work: XElementValue[] = childElements(e).reverse();
  while (work.length > 0) {
    const n = work.pop()!;
    out.push(n);
    for (let i = n.nodes.length - 1; i >= 0; i--) {
      const child = n.nodes[i]!;
      if (child instanceof XElementValue) work.push(child);
    }
  }
  return out;
}

function filter(elements: XElementValue[], args: unknown[]): XElementValue[] {
  if (args.length === 0 || args[0] === null) return args[0] === null ? [] : elements;
  const name = toXName(args[0]);
  return elements.filter((e) => sameName(e.name, name));
}

export function childElements(e: XElementValue): XElementValue[] {
  return e.nodes.filter((n): n is XElementValue => n instanceof XElementValue);
}

const containerMethods = (rootOf: (self: XDocumentValue | XElementValue) => XElementValue[]): MemberTable['methods'] => ({
  Elements: (self, a) => filter(rootOf(self), a),
  Element: (self, a) => filter(rootOf(self), a)[0] ?? null,
  Descendants: (self, a) => filter(self instanceof XDocumentValue ? (self.root ? [self.root, ...descendants(self.root, [])] : []) : descendants(self, []), a),
  Nodes: (self) => childNodes(self),
  DescendantNodes: (self) => descendantNodes(self, []),
  ToString: (self, _a, site) => {
    const top = self instanceof XDocumentValue ? self.root : self;
    return top ? writeElement(top, (n) => site.rt.checkLength(n)) : '';
  },
});

/** A container's child nodes in document order (a document's only child here is its root: comments and processing instructions are not kept). */
function childNodes(self: XDocumentValue | XElementValue): Array<XElementValue | XTextValue> {
  if (self instanceof XDocumentValue) return self.root ? [self.root] : [];
  return self.nodes.slice();
}

/** Every node below a container, depth first in document order (XContainer.DescendantNodes). */
function descendantNodes(self: XDocumentValue | XElementValue, out: Array<XElementValue | XTextValue>): Array<XElementValue | XTextValue> {
  for (const node of childNodes(self)) {
    out.push(node);
    if (node instanceof XElementValue) descendantNodes(node, out);
  }
  return out;
}

/** System.Xml.XmlNodeType, the values the NodeType of each LINQ to XML node answers. */
export const xmlNodeTypes = {
  None: 0, Element: 1, Attribute: 2, Text: 3, CDATA: 4, EntityReference: 5, Entity: 6, ProcessingInstruction: 7, Comment: 8,
  Document: 9, DocumentType: 10, DocumentFragment: 11, Notation: 12, Whitespace: 13, SignificantWhitespace: 14, EndElement: 15,
  EndEntity: 16, XmlDeclaration: 17,
} as const;

function nodeType(name: keyof typeof xmlNodeTypes): EnumValue {
  return new EnumValue('System.Xml.XmlNodeType', name, xmlNodeTypes[name]);
}

/** Instance members: xdocument. */
export const xdocumentMembers: MemberTable = {
  props: {
    Root: (d: XDocumentValue) => d.root,
    NodeType: () => nodeType('Document'),
  },
  methods: containerMethods((self) => ((self as XDocumentValue).root ? [(self as XDocumentValue).root!] : [])),
};

/** Instance members: xelement. */
export const xelementMembers: MemberTable = {
  props: {
    Name: (e: XElementValue) => e.name,
    Value: (e: XElementValue) => value(e),
    Parent: (e: XElementValue) => e.parent,
    NodeType: () => nodeType('Element'),
    HasElements: (e: XElementValue) => e.nodes.some((n) => n instanceof XElementValue),
    HasAttributes: (e: XElementValue) => e.attributes.length > 0,
    IsEmpty: (e: XElementValue) => e.nodes.length === 0,
  },
  methods: {
    ...containerMethods((self) => childElements(self as XElementValue)),
    DescendantsAndSelf: (e: XElementValue, a) => filter([e, ...descendants(e, [])], a),
    Ancestors: (e: XElementValue, a) => {
      const out: XElementValue[] = [];
      for (let p = e.parent; p; p = p.parent) out.push(p);
      return filter(out, a);
    },
    Attribute: (e: XElementValue, a) => {
      const name = toXName(a[0]);
      return e.attributes.find((x) => sameName(x.name, name)) ?? null;
    },
    Attributes: (e: XElementValue, a) => {
      if (a.length === 0) return e.attributes.slice();
      const name = toXName(a[0]);
      return e.attributes.filter((x) => sameName(x.name, name));
    },
    SetValue: (e: XElementValue, a) => {
      setElementText(e, a[0]);
      return undefined;
    },
    ...xelementEditing,
  },
};

/** Instance members: xattribute. */
export const xattributeMembers: MemberTable = {
  props: {
    Name: (x: XAttributeValue) => x.name,
    Value: (x: XAttributeValue) => x.value,
    Parent: (x: XAttributeValue) => x.parent,
    NodeType: () => nodeType('Attribute'),
  },
  methods: {
    ToString: (x: XAttributeValue) => x.toString(),
    ...xattributeEditing,
  },
};

/** Instance members: xtext (text nodes an XPath selects). */
export const xtextMembers: MemberTable = {
  props: {
    Value: (t: XTextValue) => t.value,
    Parent: (t: XTextValue) => t.parent,
    NodeType: (t: XTextValue) => nodeType(t.cdata ? 'CDATA' : 'Text'),
  },
  methods: { ToString: (t: XTextValue) => t.toString() },
};

/** Instance members: xname. */
export const xnameMembers: MemberTable = {
  props: {
    LocalName: (n: XNameValue) => n.localName,
    NamespaceName: (n: XNameValue) => n.namespaceName,
    Namespace: (n: XNameValue) => new XNamespaceValue(n.namespaceName),
  },
  methods: { ToString: (n: XNameValue) => n.toString() },
};

/** Instance members: xnamespace. */
export const xnamespaceMembers: MemberTable = {
  props: { NamespaceName: (n: XNamespaceValue) => n.uri },
  methods: {
    GetName: (n: XNamespaceValue, a) => n.combineName(strArg(a[0], 'localName')),
    ToString: (n: XNamespaceValue) => n.uri,
  },
};

/** Static members: xdocument. */
export const xdocumentStatics: MemberTable = {
  methods: { Parse: (_: unknown, a, site) => parseXmlDocument(strArg(a[0], 'text'), site.rt) },
};

/** Static members: xelement. */
export const xelementStatics: MemberTable = {
  methods: {
    Parse: (_: unknown, a, site) => parseXmlElement(strArg(a[0], 'text'), site.rt),
  },
};

/** Static members: xname. */
export const xnameStatics: MemberTable = {
  methods: { Get: (_: unknown, a) => (a.length === 2 ? new XNameValue(strArg(a[0], 'localName'), strArg(a[1], 'namespaceName')) : toXName(a[0])) },
};

/** Static members: xnamespace. */
export const xnamespaceStatics: MemberTable = {
  props: { None: () => new XNamespaceValue('') },
  methods: { Get: (_: unknown, a) => new XNamespaceValue(strArg(a[0], 'namespaceName')) },
};

/** `(string)element`, `(int)attribute` …: the explicit conversions XElement/XAttribute define. */
export function xmlValueOf(v: unknown): string | undefined {
  if (v instanceof XElementValue) return value(v);
  if (v instanceof XAttributeValue) return v.value;
  return undefined;
}

/** Fails for the XML types that cannot be used where a node is expected. */
export function requireNode(v: unknown): XElementValue {
  if (v instanceof XElementValue) return v;
  return noOverload('XElement', [v]) ?? raise('System.InvalidCastException', 'Not an element.');
}

/** `new XElement(name, content…)`, `new XDocument(root)`, `new XAttribute(name, value)`. */
export function constructXml(type: string, args: unknown[], rt: Runtime): unknown {
  if (type === 'XAttribute') return new XAttributeValue(toXName(args[0]), toXName(args[0]).localName, contentText(args[1]));
  if (type === 'XDocument') {
    const root = args.find((a) => a instanceof XElementValue) as XElementValue | undefined;
    return new XDocumentValue(root ?? null);
  }
  const name = toXName(args[0]);
  const el = new XElementValue(name, name.localName);
  addContent(el, args.slice(1), 'last', rt);
  return el;
}
