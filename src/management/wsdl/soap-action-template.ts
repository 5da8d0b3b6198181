/**
 * The URL template of a SOAP pass-through operation: `/?soapAction=<action>`, as Azure's WSDL
 * import writes it. The gateway matches the request's SOAP action against the literal value
 * (docs/soap-apis.md), so the characters a URL template gives meaning to are percent-encoded.
 */

/** `/?soapAction=` followed by the action with `%`, `&`, `#`, `{`, `}`, `+` and controls encoded. */
export function soapActionTemplate(action: string): string {
  return `/?soapAction=${action.replace(/[%&#{}+\s\u0000-\u001f\u007f]/g, (c) => encodeURIComponent(c))}`;
}
