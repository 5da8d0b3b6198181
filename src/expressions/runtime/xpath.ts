/**
 * System.Xml.XPath's extension methods on XNode: XPathSelectElement, XPathSelectElements and
 * XPathEvaluate, evaluating the XPath 1.0 subset of xpath-syntax.ts over the System.Xml.Linq
 * tree with XPath 1.0's rules (document order without duplicates, positions counted per context
 * node, comparisons of node-sets by their string values). Every node visited costs a budget step.
 */
import { raise } from '../errors.js';
import type { Runtime } from './budget.js';
import { strArg, type MemberTable } from './member-table.js';
import { dbl } from './values.js';
import { XAttributeValue, XDocumentValue, XElementValue, XTextValue, documentOf, xmlValueOf } from './xml-linq.js';
import { parseXPath, XPathSyntaxProblem, type XPathNode, type XPathStep } from './xpath-syntax.js';

type XNode = XDocumentValue | XElementValue | XTextValue | XAttributeValue;
type XPathValue = XNode[] | string | number | boolean;

const xpathException = 'System.Xml.XPath.XPathException';

/** The parsed path, or the XPathException it raises. */
function compile(path: string): XPathNode {
  try {
    return parseXPath(path);
  } catch (err) {
    if (err instanceof XPathSyntaxProblem) return raise(xpathException, err.message);
    throw err;
  }
}

/** Namespace declarations are not attributes in XPath's data model. */
function isNamespaceDeclaration(a: XAttributeValue): boolean {
  return a.qualified === 'xmlns' || a.qualified.startsWith('xmlns:');
}

function parentOf(n: XNode): XNode | null {
  if (n instanceof XDocumentValue) return null;
  if (n.parent) return n.parent;
  return n instanceof XElementValue ? (documentOf(n) ?? null) : null;
}

/** The root of the tree `n` is in: its XDocument, or the topmost element of a detached tree. */
function rootOf(n: XNode): XNode {
  let top = n;
  for (let p = parentOf(top); p; p = parentOf(p)) top = p;
  return top;
}

function childrenOf(n: XNode): Array<XElementValue | XTextValue> {
  if (n instanceof XDocumentValue) return n.root ? [n.root] : [];
  if (n instanceof XElementValue) return n.nodes;
  return [];
}

function stringValue(n: XNode): string {
  if (n instanceof XDocumentValue) return n.root ? xmlValueOf(n.root)! : '';
  if (n instanceof XTextValue) return n.value;
  return xmlValueOf(n)!;
}

/** XPath's number(): decimal text only, NaN otherwise. */
function textToNumber(s: string): number {
  const t = s.trim();
  return /^-?([0-9]+(\.[0-9]*)?|\.[0-9]+)$/.test(t) ? Number(t) : NaN;
}

function toNumber(v: XPathValue): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  return textToNumber(toText(v));
}

function numberText(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? 'Infinity' : '-Infinity';
  if (Number.isInteger(n)) return BigInt(n).toString();
  return String(n);
}

function toText(v: XPathValue): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return numberText(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return v.length ? stringValue(v[0]!) : '';
}

function toBoolean(v: XPathValue): boolean {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0 && !Number.isNaN(v);
  return v.length > 0;
}

function compareAtoms(op: string, a: XPathValue, b: XPathValue): boolean {
  if (op === '=' || op === '!=') {
    let same: boolean;
    if (typeof a === 'boolean' || typeof b === 'boolean') same = toBoolean(a) === toBoolean(b);
    else if (typeof a === 'number' || typeof b === 'number') same = toNumber(a) === toNumber(b);
    else same = toText(a) === toText(b);
    return op === '=' ? same : !same;
  }
  const x = toNumber(a);
  const y = toNumber(b);
  return op === '<' ? x < y : op === '>' ? x > y : op === '<=' ? x <= y : x >= y;
}

/** XPath 1.0 §3.4: a node-set compares as any of its nodes' string values would. */
function compare(op: string, a: XPathValue, b: XPathValue): boolean {
  if (Array.isArray(a) && Array.isArray(b)) {
    const right = b.map(stringValue);
    return a.some((n) => right.some((s) => compareAtoms(op, stringValue(n), s)));
  }
  if (Array.isArray(a)) return typeof b === 'boolean' ? compareAtoms(op, toBoolean(a), b) : a.some((n) => compareAtoms(op, stringValue(n), b));
  if (Array.isArray(b)) return typeof a === 'boolean' ? compareAtoms(op, a, toBoolean(b)) : b.some((n) => compareAtoms(op, a, stringValue(n)));
  return compareAtoms(op, a, b);
}

interface Focus {
  node: XNode;
  position: number;
  size: number;
}

class XPathEvaluator {
  private order: Map<XNode, number> | undefined;
  constructor(private readonly rt: Runtime) {}

  /** Document order of every node of the tree, built once, when results from several context nodes merge. */
  private inDocumentOrder(nodes: XNode[]): XNode[] {
    const unique = [...new Set(nodes)];
    if (unique.length < 2) return unique;
    if (!this.order) {
      const order = new Map<XNode, number>();
      const work: XNode[] = [rootOf(unique[0]!)];
      while (work.length > 0) {
        const n = work.pop()!;
        this.rt.step();
        order.set(n, order.size);
        if (n instanceof XElementValue) for (const a of n.attributes) order.set(a, order.size);
        const children = childrenOf(n);
        for (let i = children.length - 1; i >= 0; i--) work.push(children[i]!);
      }
      this.order = order;
    }
    const order = this.order;
    return unique.sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0));
  }

  evaluate(e: XPathNode, focus: Focus): XPathValue {
    this.rt.step();
    switch (e.kind) {
      case 'literal': return e.value;
      case 'number': return e.value;
      case 'negate': return -toNumber(this.evaluate(e.operand, focus));
      case 'binary': return this.binary(e.op, e.left, e.right, focus);
      case 'call': return this.call(e.name, e.args, focus);
      case 'filter': {
        const v = this.evaluate(e.primary, focus);
        if (!Array.isArray(v)) return raise(xpathException, 'Expression must evaluate to a node-set.');
        return this.applyPredicates(v, e.predicates);
      }
      case 'path': {
        let nodes: XNode[];
        if (e.start) {
          const v = this.evaluate(e.start, focus);
          if (!Array.isArray(v)) return raise(xpathException, 'Expression must evaluate to a node-set.');
          nodes = v;
        } else nodes = [e.absolute ? rootOf(focus.node) : focus.node];
        for (const step of e.steps) nodes = this.step(nodes, step);
        return nodes;
      }
    }
  }

  private binary(op: string, left: XPathNode, right: XPathNode, focus: Focus): XPathValue {
    if (op === 'or') return toBoolean(this.evaluate(left, focus)) || toBoolean(this.evaluate(right, focus));
    if (op === 'and') return toBoolean(this.evaluate(left, focus)) && toBoolean(this.evaluate(right, focus));
    const a = this.evaluate(left, focus);
    const b = this.evaluate(right, focus);
    if (op === '|') {
      if (!Array.isArray(a) || !Array.isArray(b)) return raise(xpathException, 'Expression must evaluate to a node-set.');
      return this.inDocumentOrder([...a, ...b]);
    }
    if (op === '+') return toNumber(a) + toNumber(b);
    if (op === '-') return toNumber(a) - toNumber(b);
    return compare(op, a, b);
  }

  private call(name: string, args: XPathNode[], focus: Focus): XPathValue {
    const arg = (i: number): XPathValue => this.evaluate(args[i]!, focus);
    const nodeArg = (): XNode | undefined => {
      if (args.length === 0) return focus.node;
      const v = arg(0);
      if (!Array.isArray(v)) return raise(xpathException, 'Expression must evaluate to a node-set.');
      return v[0];
    };
    const textArg = (): string => (args.length === 0 ? stringValue(focus.node) : toText(arg(0)));
    switch (name) {
      case 'last': return focus.size;
      case 'position': return focus.position;
      case 'count': {
        const v = arg(0);
        if (!Array.isArray(v)) return raise(xpathException, 'Expression must evaluate to a node-set.');
        return v.length;
      }
      case 'string': return textArg();
      case 'number': return args.length === 0 ? textToNumber(stringValue(focus.node)) : toNumber(arg(0));
      case 'string-length': return [...textArg()].length;
      case 'normalize-space': return textArg().trim().split(/\s+/).filter(Boolean).join(' ');
      case 'contains': return toText(arg(0)).includes(toText(arg(1)));
      case 'starts-with': return toText(arg(0)).startsWith(toText(arg(1)));
      case 'not': return !toBoolean(arg(0));
      case 'true': return true;
      case 'false': return false;
      case 'local-name': case 'name': {
        const n = nodeArg();
        if (!(n instanceof XElementValue || n instanceof XAttributeValue)) return '';
        return name === 'name' ? n.qualified : n.name.localName;
      }
    }
    return raise(xpathException, `'${name}()' is an unknown XPath function.`);
  }

  private axis(n: XNode, step: XPathStep): XNode[] {
    switch (step.axis) {
      case 'self': return [n];
      case 'parent': {
        const p = parentOf(n);
        return p ? [p] : [];
      }
      case 'attribute': return n instanceof XElementValue ? n.attributes.filter((a) => !isNamespaceDeclaration(a)) : [];
      case 'child': return childrenOf(n).slice();
      case 'descendant': case 'descendant-or-self': {
        const out: XNode[] = step.axis === 'descendant-or-self' ? [n] : [];
        const work = childrenOf(n).slice().reverse();
        while (work.length > 0) {
          const d = work.pop()!;
          this.rt.step();
          out.push(d);
          if (d instanceof XElementValue) for (let i = d.nodes.length - 1; i >= 0; i--) work.push(d.nodes[i]!);
        }
        return out;
      }
    }
  }

  private matches(n: XNode, step: XPathStep): boolean {
    const test = step.test;
    if (test.kind === 'node') return true;
    if (test.kind === 'text') return n instanceof XTextValue;
    const principal = step.axis === 'attribute' ? n instanceof XAttributeValue : n instanceof XElementValue;
    if (!principal) return false;
    if (test.kind === 'any') return true;
    const name = (n as XElementValue | XAttributeValue).name;
    return name.namespaceName === '' && name.localName === test.name;
  }

  private applyPredicates(nodes: XNode[], predicates: XPathNode[]): XNode[] {
    let current = nodes;
    for (const predicate of predicates) {
      const size = current.length;
      current = current.filter((node, i) => {
        const v = this.evaluate(predicate, { node, position: i + 1, size });
        return typeof v === 'number' ? v === i + 1 : toBoolean(v);
      });
    }
    return current;
  }

  private step(contexts: XNode[], step: XPathStep): XNode[] {
    const out: XNode[] = [];
    for (const context of contexts) {
      const candidates = this.axis(context, step).filter((n) => this.matches(n, step));
      this.rt.checkSize(out.length + candidates.length);
      out.push(...this.applyPredicates(candidates, step.predicates));
    }
    return contexts.length > 1 ? this.inDocumentOrder(out) : out;
  }
}

/** Evaluates `path` with `self` as the context node. */
function evaluatePath(self: XDocumentValue | XElementValue, path: unknown, rt: Runtime): XPathValue {
  const expression = compile(strArg(path, 'expression'));
  return new XPathEvaluator(rt).evaluate(expression, { node: self, position: 1, size: 1 });
}

/** The .NET type of an XPath result, as XPathEvaluator names it when it is not what was asked for. */
function resultTypeName(v: XPathValue | XNode): string {
  if (typeof v === 'string') return 'System.String';
  if (typeof v === 'number') return 'System.Double';
  if (typeof v === 'boolean') return 'System.Boolean';
  return (v as XNode).typeName;
}

function selectElements(self: XDocumentValue | XElementValue, a: unknown[], rt: Runtime): XElementValue[] {
  const v = evaluatePath(self, a[0], rt);
  if (!Array.isArray(v)) return raise('System.InvalidOperationException', `The XPath expression evaluated to unexpected type ${resultTypeName(v)}.`);
  for (const n of v) {
    if (!(n instanceof XElementValue)) raise('System.InvalidOperationException', `The XPath expression evaluated to unexpected type ${resultTypeName(n)}.`);
  }
  return v as XElementValue[];
}

/** XPathSelectElement(s) and XPathEvaluate on XElement and XDocument. */
export const xpathMembers: MemberTable = { methods: {
  XPathSelectElements: (self: XDocumentValue | XElementValue, a, site) => selectElements(self, a, site.rt),
  XPathSelectElement: (self: XDocumentValue | XElementValue, a, site) => selectElements(self, a, site.rt)[0] ?? null,
  XPathEvaluate: (self: XDocumentValue | XElementValue, a, site) => {
    const v = evaluatePath(self, a[0], site.rt);
    return typeof v === 'number' ? dbl(v) : v;
  },
} };

/** The names of the XPath extension methods (the checker looks at their literal paths). */
export const xpathMethodNames = new Set(Object.keys(xpathMembers.methods!));

/** Why a literal path cannot run, or undefined when it can (checked when the policy is saved). */
export function literalXPathProblem(path: string): string | undefined {
  try {
    parseXPath(path);
    return undefined;
  } catch (err) {
    if (err instanceof XPathSyntaxProblem) return err.message;
    throw err;
  }
}
