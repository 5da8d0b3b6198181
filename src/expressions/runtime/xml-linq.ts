/**
 * A read-mostly System.Xml.Linq: XDocument/XElement/XAttribute/XName/XNamespace parsed with
 * saxes (namespace-aware), with the navigation members policies use (Root, Element(s),
 * Descendants, Attribute(s), Value, Name.LocalName) and XmlWriter-style ToString().
 */
import { SaxesParser } from 'saxes';
import { raise } from '../errors.js';
import { display } from './display.js';
import { noOverload, strArg, type MemberTable } from './member-table.js';
import type { Runtime } from './budget.js';

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
    return writeElement(this, 0);
  }
}

/** The runtime value of XDocument. */
export class XDocumentValue {
  readonly typeName = 'System.Xml.Linq.XDocument';
  constructor(readonly root: XElementValue | null) {}
  toString(): string {
    return this.root ? writeElement(this.root, 0) : '';
  }
}

function escapeText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeAttribute(s: string): string {
  return escapeText(s).replace(/"/g, '&quot;');
}

function writeElement(e: XElementValue, depth: number): string {
  const indent = '  '.repeat(depth);
  const attrs = e.attributes.map((a) => ' ' + a.toString()).join('');
  if (e.nodes.length === 0) return `${indent}<${e.qualified}${attrs} />`;
  const onlyElements = e.nodes.every((n) => n instanceof XElementValue);
  if (!onlyElements) {
    // Mixed or text content is written inline, as XmlWriter does.
    return `${indent}<${e.qualified}${attrs}>${e.nodes.map((n) => (n instanceof XElementValue ? writeElement(n, 0) : n.toString())).join('')}</${e.qualified}>`;
  }
  const inner = e.nodes.map((n) => writeElement(n as XElementValue, depth + 1)).join(newLine);
  return `${indent}<${e.qualified}${attrs}>${newLine}${inner}${newLine}${indent}</${e.qualified}>`;
}

/** XDocument.Parse / XElement.Parse; malformed XML is an XmlException. */
export function parseXmlDocument(text: string, rt: Runtime): XDocumentValue {
  const parser = new SaxesParser({ xmlns: true, position: true });
  const stack: XElementValue[] = [];
  let root: XElementValue | null = null;
  let error: Error | undefined;
  let count = 0;
  parser.on('error', (err) => {
    error ??= err;
  });
  parser.on('opentag', (tag) => {
    rt.step();
    rt.checkSize(++count);
    const el = new XElementValue(new XNameValue(tag.local ?? tag.name, tag.uri ?? ''), tag.name);
    for (const a of Object.values(tag.attributes)) {
      const attr = a as { name: string; local?: string; uri?: string; value: string };
      const isXmlns = attr.name === 'xmlns' || attr.name.startsWith('xmlns:');
      const name = isXmlns
        ? new XNameValue(attr.name === 'xmlns' ? 'xmlns' : attr.local ?? attr.name, attr.name === 'xmlns' ? '' : 'http://www.w3.org/2000/xmlns/')
        : new XNameValue(attr.local ?? attr.name, attr.uri ?? '');
      const xa = new XAttributeValue(name, attr.name, attr.value);
      xa.parent = el;
      el.attributes.push(xa);
    }
    const parent = stack[stack.length - 1];
    if (parent) {
      el.parent = parent;
      parent.nodes.push(el);
    } else if (root) error ??= new Error('There are multiple root elements.');
    else root = el;
    stack.push(el);
  });
  parser.on('closetag', () => {
    stack.pop();
  });
  const addText = (text: string, cdata: boolean): void => {
    const parent = stack[stack.length - 1];
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
    error ??= err as Error;
  }
  if (error || !root) {
    const message = (error?.message ?? 'Root element is missing.').replace(/^[^:]*:\d+:\d+: /, '');
    return raise('System.Xml.XmlException', `${message} Line ${parser.line}, position ${parser.column}.`);
  }
  return new XDocumentValue(root);
}

/** An XName from a string (`"{ns}local"` or `"local"`) or an XName. */
export function toXName(v: unknown): XNameValue {
  if (v instanceof XNameValue) return v;
  const s = strArg(v, 'name');
  const m = /^\{([^}]*)\}(.+)$/.exec(s);
  return m ? new XNameValue(m[2]!, m[1]!) : new XNameValue(s, '');
}

function sameName(a: XNameValue, b: XNameValue): boolean {
  return a.localName === b.localName && a.namespaceName === b.namespaceName;
}

function value(e: XElementValue): string {
  return e.nodes.map((n) => (n instanceof XTextValue ? n.value : value(n))).join('');
}

function descendants(e: XElementValue, out: XElementValue[]): XElementValue[] {
  for (const n of e.nodes) {
    if (n instanceof XElementValue) {
      out.push(n);
      descendants(n, out);
    }
  }
  return out;
}

function filter(elements: XElementValue[], args: unknown[]): XElementValue[] {
  if (args.length === 0 || args[0] === null) return args[0] === null ? [] : elements;
  const name = toXName(args[0]);
  return elements.filter((e) => sameName(e.name, name));
}

function childElements(e: XElementValue): XElementValue[] {
  return e.nodes.filter((n): n is XElementValue => n instanceof XElementValue);
}

const containerMethods = (rootOf: (self: XDocumentValue | XElementValue) => XElementValue[]): MemberTable['methods'] => ({
  Elements: (self, a) => filter(rootOf(self), a),
  Element: (self, a) => filter(rootOf(self), a)[0] ?? null,
  Descendants: (self, a) => filter(self instanceof XDocumentValue ? (self.root ? [self.root, ...descendants(self.root, [])] : []) : descendants(self, []), a),
  ToString: (self) => self.toString(),
});

/** Instance members: xdocument. */
export const xdocumentMembers: MemberTable = {
  props: {
    Root: (d: XDocumentValue) => d.root,
  },
  methods: containerMethods((self) => ((self as XDocumentValue).root ? [(self as XDocumentValue).root!] : [])),
};

/** Instance members: xelement. */
export const xelementMembers: MemberTable = {
  props: {
    Name: (e: XElementValue) => e.name,
    Value: (e: XElementValue) => value(e),
    Parent: (e: XElementValue) => e.parent,
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
      const t = new XTextValue(display(a[0]));
      t.parent = e;
      e.nodes.length = 0;
      e.nodes.push(t);
      return undefined;
    },
  },
};

/** Instance members: xattribute. */
export const xattributeMembers: MemberTable = {
  props: {
    Name: (x: XAttributeValue) => x.name,
    Value: (x: XAttributeValue) => x.value,
    Parent: (x: XAttributeValue) => x.parent,
  },
  methods: {
    ToString: (x: XAttributeValue) => x.toString(),
  },
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
    Parse: (_: unknown, a, site) => {
      const root = parseXmlDocument(strArg(a[0], 'text'), site.rt).root!;
      root.parent = null;
      return root;
    },
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
  if (type === 'XAttribute') return new XAttributeValue(toXName(args[0]), toXName(args[0]).localName, display(args[1]));
  if (type === 'XDocument') {
    const root = args.find((a) => a instanceof XElementValue) as XElementValue | undefined;
    return new XDocumentValue(root ?? null);
  }
  const name = toXName(args[0]);
  const el = new XElementValue(name, name.localName);
  const add = (c: unknown): void => {
    rt.step();
    if (c === null || c === undefined) return;
    if (Array.isArray(c)) return c.forEach(add);
    if (c instanceof XAttributeValue) {
      c.parent = el;
      el.attributes.push(c);
    } else if (c instanceof XElementValue) {
      c.parent = el;
      el.nodes.push(c);
    } else {
      const t = new XTextValue(typeof c === 'boolean' ? (c ? 'true' : 'false') : display(c));
      t.parent = el;
      el.nodes.push(t);
    }
  };
  args.slice(1).forEach(add);
  return el;
}
