/**
 * API operations (reference §5.2): method upper-cased; urlTemplate starts with `/`; two
 * operations of one API can't share a method and URL template (the gateway could not tell them
 * apart), which is a 409 as in Azure.
 */
import { operationRouteKey } from '../../../model/operation-route-key.js';
import { ArmError, invalidField } from '../arm-error.js';
import { operationSchema } from '../resource-schemas.js';
import type { ResourceKind } from '../resource-kind.js';

export const operationKind: ResourceKind = {
  kind: 'operation',
  armType: 'Microsoft.ApiManagement/service/apis/operations',
  label: 'Operation',
  schema: operationSchema,
  namePattern: /^[^*#&+:<>?\/]{1,80}$/,
  async prepare({ ctx, id, parent, properties }) {
    const method = String(properties.method).toUpperCase();
    if (!/^[A-Z][A-Z0-9-]*$/.test(method)) throw invalidField('method', `'${properties.method}' is not a valid HTTP method.`);
    const urlTemplate = String(properties.urlTemplate);
    if (!urlTemplate.startsWith('/')) throw invalidField('urlTemplate', "'urlTemplate' must start with '/'.");
    const key = operationRouteKey(method, urlTemplate);
    for (const other of (await ctx.tx.list({ kind: 'operation', parent })).items) {
      if (other.id.toLowerCase() === id.toLowerCase()) continue;
      if (operationRouteKey(String(other.body.method), String(other.body.urlTemplate)) === key) {
        throw new ArmError(409, 'Conflict', `Operation with the same method and URL template already exists: '${other.id.slice(other.id.lastIndexOf('/') + 1)}'.`);
      }
    }
    return { ...properties, method, urlTemplate, templateParameters: properties.templateParameters ?? [] };
  },
};
