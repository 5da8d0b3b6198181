/**
 * A WebSocket API's one operation. Azure: "Each WebSocket API in API Management has an
 * onHandshake operation. onHandshake is an immutable, unremovable, automatically created system
 * operation" (GET on the API's root); its policies run on the opening handshake.
 */
import type { EntityTransaction } from '../../core/entity-store.js';
import { isWebSocketApiType } from '../../model/api-type.js';
import type { Operation } from '../../model/resources.js';
import type { CompileEnvironment } from '../../pipeline/compile-environment.js';
import type { Scope } from '../../pipeline/gateway-context.js';
import { operationBody } from '../arm/kinds/api-import.js';

/** The operation's name (and display name), as Azure creates it. */
export const handshakeOperationName = 'onHandshake';

export { isWebSocketApiType };

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

/** True when the stored API `apiId` is a WebSocket API. */
export async function isWebSocketApi(tx: EntityTransaction, apiId: string): Promise<boolean> {
  const api = await tx.get(apiId);
  return isWebSocketApiType(api?.body.type);
}

/**
 * The compile environment for a policy stored below `parent` at `scope`: a WebSocket API's own
 * documents (API and onHandshake scope) refuse the policies onHandshake does not run.
 */
export async function handshakePolicyEnvironment(tx: EntityTransaction, scope: Scope, parent: string, env: CompileEnvironment): Promise<CompileEnvironment> {
  let apiId: string | undefined;
  if (scope === 'api') apiId = parent;
  else if (scope === 'operation') apiId = (await tx.get(parent))?.parent;
  return apiId !== undefined && (await isWebSocketApi(tx, apiId)) ? { ...env, webSocketHandshake: 'refuse' } : env;
}
