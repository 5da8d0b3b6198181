/**
 * What validate-content checks of an XML or SOAP body without an XSD validator (no maintained
 * one runs on Node without native code): the body is well-formed XML with namespaces used as
 * declared; a SOAP body is an `Envelope` of the SOAP version its content type names (1.1 for
 * `text/xml`, 1.2 for `application/soap+xml`) with a `Body`, and the payload is the Body's
 * first element; when an XSD is at hand, that payload's root must be one of the XSD's
 * top-level elements, in its target namespace. Element content and types are not checked.
 */
import { SaxesParser } from 'saxes';
import { positionAt, type TextPosition } from './json-value-position.js';

export interface XmlProblem extends TextPosition {
  message: string;
}

/** A qualified element name: namespace URI and local name. */
export interface XmlName {
  namespace: string;
  local: string;
}

const soapNamespaces: Record<string, string> = {
  '1.1': 'http://schemas.xmlsoap.org/soap/envelope/',
  '1.2': 'http://www.w3.org/2003/05/soap-envelope',
};

/** The SOAP version a content type stands for (Azure: text/xml is 1.1, application/soap+xml is 1.2). */
export function soapVersionOf(contentType: string): '1.1' | '1.2' {
  return contentType.toLowerCase() === 'text/xml' ? '1.1' : '1.2';
}

interface ParsedElement extends XmlName {
  depth: number;
  offset: number;
}

/**
 * Checks `text`; `soap` asks for a SOAP envelope of that version; `declared` lists the elements
 * an XSD allows as the payload's root (undefined: no XSD, any root).
 */
export function checkXmlBody(text: string, soap: '1.1' | '1.2' | undefined, declared: readonly XmlName[] | undefined): XmlProblem | undefined {
  const elements: ParsedElement[] = [];
  let problem: XmlProblem | undefined;
  const parser = new SaxesParser({ xmlns: true, position: true });
  let depth = 0;
  parser.on('error', (err) => {
    problem ??= { message: err.message.replace(/^(?:[^:\n]*:)?\d+:\d+: /, ''), ...positionAt(text, Math.max(0, parser.position - 1)) };
  });
  parser.on('opentag', (tag) => {
    // The first few levels are all a SOAP check needs; deeper elements are only checked for well-formedness.
    if (depth < 3) elements.push({ namespace: tag.uri ?? '', local: tag.local ?? tag.name, depth, offset: parser.position - 1 });
    depth += 1;
  });
  parser.on('closetag', () => {
    depth -= 1;
  });
  try {
    parser.write(text).close();
  } catch (err) {
    problem ??= { message: (err as Error).message.replace(/^(?:[^:\n]*:)?\d+:\d+: /, ''), ...positionAt(text, Math.max(0, parser.position - 1)) };
  }
  if (problem) return problem;
  const root = elements[0];
  if (!root) return { message: 'Root element is missing.', line: 1, position: 1 };
  let payload: ParsedElement | undefined = root;
  if (soap) {
    const envelopeNs = soapNamespaces[soap]!;
    if (root.local !== 'Envelope' || root.namespace !== envelopeNs) {
      return { message: `The root element must be the SOAP ${soap} 'Envelope' in namespace '${envelopeNs}'.`, ...positionAt(text, root.offset) };
    }
    const body = elements.find((e) => e.depth === 1 && e.local === 'Body' && e.namespace === envelopeNs);
    if (!body) return { message: `The SOAP envelope has no 'Body' element.`, ...positionAt(text, root.offset) };
    const bodyIndex = elements.indexOf(body);
    payload = elements.slice(bodyIndex + 1).find((e) => e.depth === 2);
    if (!payload) return undefined;
  }
  if (declared && !declared.some((d) => d.local === payload.local && d.namespace === payload.namespace)) {
    const name = payload.namespace ? `${payload.namespace}:${payload.local}` : payload.local;
    return { message: `The '${name}' element is not declared.`, ...positionAt(text, payload.offset) };
  }
  return undefined;
}

/** The top-level `xs:element` names of an XSD and its target namespace; undefined when the text is not an XSD. */
export function declaredRootElements(xsd: string): XmlName[] | undefined {
  const xsdNs = 'http://www.w3.org/2001/XMLSchema';
  const parser = new SaxesParser({ xmlns: true });
  const names: XmlName[] = [];
  let targetNamespace = '';
  let depth = 0;
  let isSchema = false;
  let failed = false;
  parser.on('error', () => {
    failed = true;
  });
  parser.on('opentag', (tag) => {
    if (depth === 0 && tag.local === 'schema' && tag.uri === xsdNs) {
      isSchema = true;
      const tns = tag.attributes.targetNamespace;
      targetNamespace = typeof tns === 'object' ? tns.value : (tns ?? '');
    }
    if (depth === 1 && isSchema && tag.local === 'element' && tag.uri === xsdNs) {
      const name = tag.attributes.name;
      const value = typeof name === 'object' ? name.value : name;
      if (value) names.push({ namespace: targetNamespace, local: value });
    }
    depth += 1;
  });
  parser.on('closetag', () => {
    depth -= 1;
  });
  try {
    parser.write(xsd).close();
  } catch {
    failed = true;
  }
  return failed || !isSchema ? undefined : names;
}
