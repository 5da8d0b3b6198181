/**
 * The editing members of System.Xml.Linq that policies use to change an XML body in an
 * expression: XElement.Add/AddFirst/AddBeforeSelf/AddAfterSelf, Remove, RemoveAll,
 * RemoveNodes, RemoveAttributes, ReplaceWith, ReplaceNodes, ReplaceAll, SetAttributeValue,
 * SetElementValue; XAttribute.Remove and SetValue. As in .NET, a node that already has a parent
 * is copied when it is added elsewhere, content arrays and sequences are flattened, null adds
 * nothing, and other values are added as text.
 */
import { raise } from '../errors.js';
import type { Runtime } from './budget.js';
import { display } from './display.js';
import type { MemberTable } from './member-table.js';
import { XAttributeValue, XElementValue, XTextValue, childElements, sameName, toXName } from './xml-linq.js';

type Node = XElementValue | XTextValue;

/** Where new content goes among an element's nodes. */
export type ContentPlace = 'first' | 'last' | { before: Node } | { after: Node };

/** A deep copy of an element, without a parent. */
function cloneElement(e: XElementValue, rt: Runtime): XElementValue {
  const copy = new XElementValue(e.name, e.qualified);
  for (const a of e.attributes) {
    const attribute = new XAttributeValue(a.name, a.qualified, a.value);
    attribute.parent = copy;
    copy.attributes.push(attribute);
  }
  for (const n of e.nodes) {
    rt.step();
    const child = n instanceof XElementValue ? cloneElement(n, rt) : new XTextValue(n.value, n.cdata);
    child.parent = copy;
    copy.nodes.push(child);
  }
  return copy;
}

/** .NET's text for a value added as content (`true`, not `True`, as XmlConvert writes it). */
export function contentText(v: unknown): string {
  return typeof v === 'boolean' ? (v ? 'true' : 'false') : display(v);
}

/** Adds `content` (nodes, attributes, text, arrays of them) to `el` at `place`. */
export function addContent(el: XElementValue, content: readonly unknown[], place: ContentPlace, rt: Runtime): void {
  const nodes: Node[] = [];
  const flatten = (c: unknown): void => {
    rt.step();
    if (c === null || c === undefined) return;
    if (Array.isArray(c)) return c.forEach(flatten);
    if (c instanceof XAttributeValue) {
      if (el.attributes.some((a) => sameName(a.name, c.name))) raise('System.InvalidOperationException', 'Duplicate attribute.');
      const attribute = c.parent ? new XAttributeValue(c.name, c.qualified, c.value) : c;
      attribute.parent = el;
      el.attributes.push(attribute);
      return;
    }
    if (c instanceof XElementValue) {
      for (let p: XElementValue | null = el; p; p = p.parent) if (p === c) raise('System.InvalidOperationException', 'This operation would create an incorrectly structured document.');
      nodes.push(c.parent ? cloneElement(c, rt) : c);
      return;
    }
    nodes.push(new XTextValue(contentText(c)));
  };
  content.forEach(flatten);
  for (const n of nodes) n.parent = el;
  let at: number;
  if (place === 'first') at = 0;
  else if (place === 'last') at = el.nodes.length;
  else if ('before' in place) at = el.nodes.indexOf(place.before);
  else at = el.nodes.indexOf(place.after) + 1;
  el.nodes.splice(at, 0, ...nodes);
  rt.checkSize(el.nodes.length);
}

/** Replaces an element's nodes with one text node (SetValue, SetElementValue). */
export function setElementText(e: XElementValue, v: unknown): void {
  if (v === null || v === undefined) raise('System.ArgumentNullException', "Value cannot be null. (Parameter 'value')");
  for (const n of e.nodes) n.parent = null;
  const t = new XTextValue(contentText(v));
  t.parent = e;
  e.nodes.length = 0;
  e.nodes.push(t);
}

/** The parent of a node that must have one (Remove, AddBeforeSelf …). */
function parentOf(node: { parent: XElementValue | null }): XElementValue {
  return node.parent ?? raise('System.InvalidOperationException', 'The parent is missing.');
}

function removeNode(node: Node): void {
  const parent = parentOf(node);
  parent.nodes.splice(parent.nodes.indexOf(node), 1);
  node.parent = null;
}

function removeNodes(e: XElementValue): void {
  for (const n of e.nodes) n.parent = null;
  e.nodes.length = 0;
}

function removeAttributes(e: XElementValue): void {
  for (const a of e.attributes) a.parent = null;
  e.attributes.length = 0;
}

/** Instance members of XElement that change the tree. */
export const xelementEditing: MemberTable['methods'] = {
  Add: (e: XElementValue, a, site) => void addContent(e, a, 'last', site.rt),
  AddFirst: (e: XElementValue, a, site) => void addContent(e, a, 'first', site.rt),
  AddBeforeSelf: (e: XElementValue, a, site) => void addContent(parentOf(e), a, { before: e }, site.rt),
  AddAfterSelf: (e: XElementValue, a, site) => void addContent(parentOf(e), a, { after: e }, site.rt),
  Remove: (e: XElementValue) => void removeNode(e),
  RemoveAll: (e: XElementValue) => {
    removeAttributes(e);
    removeNodes(e);
  },
  RemoveNodes: (e: XElementValue) => void removeNodes(e),
  RemoveAttributes: (e: XElementValue) => void removeAttributes(e),
  ReplaceWith: (e: XElementValue, a, site) => {
    const parent = parentOf(e);
    addContent(parent, a, { after: e }, site.rt);
    removeNode(e);
  },
  ReplaceNodes: (e: XElementValue, a, site) => {
    // The new content is read before the old is removed: it may be built from the old nodes.
    const content = a.map((c) => (Array.isArray(c) ? c.slice() : c));
    removeNodes(e);
    addContent(e, content, 'last', site.rt);
  },
  ReplaceAll: (e: XElementValue, a, site) => {
    const content = a.map((c) => (Array.isArray(c) ? c.slice() : c));
    removeAttributes(e);
    removeNodes(e);
    addContent(e, content, 'last', site.rt);
  },
  SetAttributeValue: (e: XElementValue, a) => {
    const name = toXName(a[0]);
    const i = e.attributes.findIndex((x) => sameName(x.name, name));
    if (a[1] === null || a[1] === undefined) {
      if (i !== -1) e.attributes.splice(i, 1)[0]!.parent = null;
      return;
    }
    if (i !== -1) e.attributes[i]!.value = contentText(a[1]);
    else {
      const attribute = new XAttributeValue(name, name.localName, contentText(a[1]));
      attribute.parent = e;
      e.attributes.push(attribute);
    }
  },
  SetElementValue: (e: XElementValue, a, site) => {
    const name = toXName(a[0]);
    const child = childElements(e).find((c) => sameName(c.name, name));
    if (a[1] === null || a[1] === undefined) {
      if (child) removeNode(child);
      return;
    }
    if (child) {
      setElementText(child, a[1]);
      return;
    }
    const added = new XElementValue(name, name.localName);
    setElementText(added, a[1]);
    addContent(e, [added], 'last', site.rt);
  },
};

/** Instance members of XAttribute that change the tree. */
export const xattributeEditing: MemberTable['methods'] = {
  Remove: (x: XAttributeValue) => {
    const parent = parentOf(x);
    parent.attributes.splice(parent.attributes.indexOf(x), 1);
    x.parent = null;
  },
  SetValue: (x: XAttributeValue, a) => {
    if (a[0] === null || a[0] === undefined) raise('System.ArgumentNullException', "Value cannot be null. (Parameter 'value')");
    x.value = contentText(a[0]);
  },
};
