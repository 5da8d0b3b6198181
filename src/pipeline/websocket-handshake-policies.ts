/**
 * The policies Azure's WebSocket APIs do not run on the onHandshake operation. Azure's list
 * ("are not supported by and cannot be applied to the onHandshake operation"; inherited from
 * global or product scope they "will be skipped at run time"), by policy element name.
 */
export const handshakeUnsupportedPolicies: ReadonlySet<string> = new Set([
  'mock-response',
  'cache-lookup',
  'cache-store',
  'cross-domain',
  'cors',
  'jsonp',
  'set-method',
  'set-body',
  'xml-to-json',
  'json-to-xml',
  'xsl-transform',
  'validate-content',
  'validate-parameters',
  'validate-headers',
  'validate-status-code',
]);

/**
 * How a compile treats those policies: `refuse` for a WebSocket API's own (API and onHandshake
 * scope) documents, `skip` for the global and product documents a handshake inherits.
 */
export type HandshakePolicyRule = 'refuse' | 'skip';

/** The save-time refusal's reason (Gatehouse's wording). */
export function handshakeRefusal(policy: string): string {
  return `Policy '${policy}' is not supported on the onHandshake operation of a WebSocket API.`;
}
