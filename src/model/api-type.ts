/** API types the gateway and the management side both tell apart. */

/** True for an API `type` (or `apiType`) of WebSocket, compared as the API kind canonicalises it. */
export function isWebSocketApiType(type: unknown): boolean {
  return typeof type === 'string' && type.toLowerCase() === 'websocket';
}

/** The content type Azure stores a GraphQL API's schema (SDL in `document.value`) under. */
export const graphqlSchemaContentType = 'application/vnd.ms-azure-apim.graphql.schema';
