/**
 * API operations (reference §5.2): method upper-cased; urlTemplate starts with `/`; two
 * operations of one API can't share a method and URL template (the gateway could not tell them
 * apart), which is a 409 as in Azure. A WebSocket API has only its onHandshake operation, which
 * Azure calls immutable and unremovable: only its display name and description may change.
 */
import { operationRouteKey } from '../../../model/operation-route-key.js';
import { handshakeOperation, handshakeOperationName, isWebSocketApi } from '../../api-types/websocket-handshake.js';
import { ArmError, invalidField } from '../arm-error.js';
import { operationSchema } from '../resource-schemas.js';
import type { ResourceKind } from '../resource-kind.js';

export const operationKind: ResourceKind = {
  kind: 'operation',
  armType: 'Microsoft.ApiManagement/service/apis/operations',
  label: 'Operation',
  schema: operationSchema,
  namePattern: /^[^*#&+:<>?\/]{1,80}$/,
  async prepare({ ctx, id, name, parent, properties }) {
    const method = String(properties.method).toUpperCase();
    if (!/^[A-Z][A-Z0-9-]*$/.test(method)) throw invalidField('method', `'${properties.method}' is not a valid HTTP method.`);
    const urlTemplate = String(properties.urlTemplate);
    if (!urlTemplate.startsWith('/')) throw invalidField('urlTemplate', "'urlTemplate' must start with '/'.");
    if (await isWebSocketApi(ctx.tx, parent)) checkHandshakeOperation(name, method, urlTemplate);
    const key = operationRouteKey(method, urlTemplate);
    for (const other of (await ctx.tx.list({ kind: 'operation', parent })).items) {
      if (other.id.toLowerCase() === id.toLowerCase()) continue;
      if (operationRouteKey(String(other.body.method), String(other.body.urlTemplate)) === key) {
        throw new ArmError(409, 'Conflict', `Operation with the same method and URL template already exists: '${other.id.slice(other.id.lastIndexOf('/') + 1)}'.`);
      }
    }
    return { ...properties, method, urlTemplate, templateParameters: properties.templateParameters ?? [] };
  },
  async beforeDelete(entity, ctx) {
    // A folder import removes a whole WebSocket API's operations with it; it never drops onHandshake alone (the folder reader adds it back).
    if (ctx.folderImport) return;
    if (await isWebSocketApi(ctx.tx, entity.parent)) {
      throw invalidField('name', `'${handshakeOperationName}' is a system operation of a WebSocket API and cannot be removed.`);
    }
  },
};

/** Refuses any operation of a WebSocket API but onHandshake as Azure created it (GET /). */
function checkHandshakeOperation(name: string, method: string, urlTemplate: string): void {
  const fixed = handshakeOperation();
  if (name.toLowerCase() !== handshakeOperationName.toLowerCase()) {
    throw invalidField('name', `A WebSocket API has only the system operation '${handshakeOperationName}'; other operations cannot be added.`);
  }
  if (method !== fixed.method) throw invalidField('method', `The method of the system operation '${handshakeOperationName}' cannot be changed from '${fixed.method}'.`);
  if (urlTemplate !== fixed.urlTemplate) {
    throw invalidField('urlTemplate', `The urlTemplate of the system operation '${handshakeOperationName}' cannot be changed from '${fixed.urlTemplate}'.`);
  }
}
