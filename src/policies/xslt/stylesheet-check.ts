/**
 * The save-time check of an `xsl-transform` stylesheet: XSLT 1.0 only (Azure: "this policy
 * supports XSLT version 1.0"), every `xsl:` instruction one of XSLT 1.0's, every XPath
 * expression well-formed, nothing loaded from outside the document, and none of the features
 * xslt-processor gets wrong (docs/policies/xsl-transform.md lists them).
 */
import { XPath } from 'xslt-processor';
import { childElements, type XmlAttribute, type XmlElement } from '../../pipeline/xml.js';

export const xsltNamespace = 'http://www.w3.org/1999/XSL/Transform';

/** XSLT 1.0's instructions and top-level elements (W3C XSLT 1.0, Appendix B). */
const xslt10Elements: ReadonlySet<string> = new Set([
  'apply-imports', 'apply-templates', 'attribute', 'attribute-set', 'call-template', 'choose', 'comment', 'copy', 'copy-of',
  'decimal-format', 'element', 'fallback', 'for-each', 'if', 'import', 'include', 'key', 'message', 'namespace-alias',
  'number', 'otherwise', 'output', 'param', 'preserve-space', 'processing-instruction', 'sort', 'strip-space',
  'stylesheet', 'template', 'text', 'transform', 'value-of', 'variable', 'when', 'with-param',
]);

/** XSLT 1.0 features refused, with why. */
const refusedElements: ReadonlyMap<string, string> = new Map([
  ['import', 'Stylesheets are not loaded from elsewhere: xsl:import is not supported.'],
  ['include', 'Stylesheets are not loaded from elsewhere: xsl:include is not supported.'],
  ['apply-imports', 'xsl:apply-imports is not supported (there are no imported stylesheets).'],
  ['fallback', 'xsl:fallback is not supported by the XSLT processor.'],
]);

/** The attributes of XSLT elements that hold an XPath expression or pattern. */
const xpathAttributes: ReadonlySet<string> = new Set(['select', 'test', 'match', 'use', 'count', 'from', 'value']);

/** A problem found in the stylesheet, at the element or attribute it is in. */
export interface StylesheetProblem {
  at: XmlElement | XmlAttribute;
  message: string;
}

/** How the transform's output is written, from `xsl:output`. */
export interface StylesheetOutput {
  declaration: boolean;
  escape: boolean;
}

/** Checks a stylesheet element; returns its first problem, or how its output is written. */
export function checkStylesheet(root: XmlElement): StylesheetProblem | StylesheetOutput {
  const prefix = xslPrefix(root);
  if (prefix === undefined) return { at: root, message: `The stylesheet must be an 'xsl:stylesheet' element in the '${xsltNamespace}' namespace.` };
  const version = root.attributes.find((a) => a.name === 'version');
  if (!version) return { at: root, message: "The required attribute 'version' is missing." };
  if (version.value.trim() !== '1.0') return { at: version, message: `Only XSLT version 1.0 is supported, not '${version.value}'.` };
  const xpath = new XPath();
  const problem = checkElement(root, `${prefix}:`, xpath);
  if (problem) return problem;
  let method = 'xml';
  let omitDeclaration = false;
  for (const output of childElements(root, `${prefix}:output`)) {
    for (const a of output.attributes) {
      if (a.name === 'method') method = a.value.trim();
      if (a.name === 'omit-xml-declaration') omitDeclaration = a.value.trim() === 'yes';
    }
  }
  if (!['xml', 'text', 'html'].includes(method)) return { at: root, message: `The output method '${method}' is not one of XSLT 1.0's: xml, html, text.` };
  return { declaration: method === 'xml' && !omitDeclaration, escape: method !== 'text' };
}

/** The prefix the element binds to the XSLT namespace when it is `<p:stylesheet>`/`<p:transform>`. */
function xslPrefix(root: XmlElement): string | undefined {
  const colon = root.name.indexOf(':');
  if (colon < 0) return undefined;
  const prefix = root.name.slice(0, colon);
  const local = root.name.slice(colon + 1);
  if (local !== 'stylesheet' && local !== 'transform') return undefined;
  const declared = root.attributes.find((a) => a.name === `xmlns:${prefix}`);
  // Declared on the policy document's root instead is allowed when the prefix is the usual one.
  if (declared ? declared.value !== xsltNamespace : prefix !== 'xsl') return undefined;
  return prefix;
}

function checkElement(element: XmlElement, xsl: string, xpath: XPath): StylesheetProblem | undefined {
  if (element.name.startsWith(xsl)) {
    const local = element.name.slice(xsl.length);
    if (!xslt10Elements.has(local)) return { at: element, message: `'${element.name}' is not an XSLT 1.0 element.` };
    const refused = refusedElements.get(local);
    if (refused) return { at: element, message: refused };
    for (const a of element.attributes) {
      if (!xpathAttributes.has(a.name) || (local === 'number' && a.name === 'value' && a.value === '')) continue;
      const problem = xpathProblem(a, xpath);
      if (problem) return problem;
    }
  } else {
    if (/(^|:)script$/.test(element.name)) return { at: element, message: `Scripts in stylesheets ('${element.name}') are not allowed.` };
    const sets = element.attributes.find((a) => a.name === `${xsl}use-attribute-sets`);
    if (sets) return { at: sets, message: 'xsl:use-attribute-sets on a literal result element is not supported by the XSLT processor.' };
  }
  for (const child of childElements(element)) {
    const problem = checkElement(child, xsl, xpath);
    if (problem) return problem;
  }
  return undefined;
}

function xpathProblem(a: XmlAttribute, xpath: XPath): StylesheetProblem | undefined {
  // XSLT 1.0 document() loads other documents; Azure's XsltSettings leave it off.
  if (/\bdocument\s*\(/.test(a.value)) return { at: a, message: 'The document() function is not allowed.' };
  try {
    xpath.xPathParse(a.value);
    return undefined;
  } catch (err) {
    return { at: a, message: `'${a.value}' is not a valid XPath expression: ${(err as Error).message}` };
  }
}
