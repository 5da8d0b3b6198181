/** API types the gateway and the management side both tell apart. */

/** True for an API `type` (or `apiType`) of WebSocket, compared as the API kind canonicalises it. */
export function isWebSocketApiType(type: unknown): boolean {
  return typeof type === 'string' && type.toLowerCase() === 'websocket';
}
