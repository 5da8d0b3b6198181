/**
 * A WebSocket API's one operation. Azure: "Each WebSocket API in API Management has an
 * onHandshake operation. onHandshake is an immutable, unremovable, automatically created system
 * operation" (GET on the API's root); its policies run on the opening handshake.
 */
import type { EntityTransaction } from '../../core/entity-store.js';
import type { Operation } from '../../model/resources.js';
import { operationBody } from '../arm/kinds/api-import.js';

/** The operation's name (and display name), as Azure creates it. */
export const handshakeOperationName = 'onHandshake';

/** True for an API `type` (or `apiType`) of WebSocket, compared as the API kind canonicalises it. */
export function isWebSocketApiType(type: unknown): boolean {
  return typeof type === 'string' && type.toLowerCase() === 'websocket';
}

/** The onHandshake operation of a WebSocket API. */
export function handshakeOperation(): Operation {
  return { name: handshakeOperationName, displayName: handshakeOperationName, method: 'GET', urlTemplate: '/', templateParameters: [] };
}

/** Stores the onHandshake operation below a new WebSocket API (as Azure creates it with the API). */
export async function storeHandshakeOperation(tx: EntityTransaction, apiId: string): Promise<void> {
  const id = `${apiId}/operations/${handshakeOperationName}`;
  if (await tx.get(id)) return;
  await tx.put({ kind: 'operation', id, parent: apiId, body: operationBody(handshakeOperation()) });
}
