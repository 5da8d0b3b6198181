/** API operations (reference §5.2): method upper-cased; urlTemplate starts with `/`. */
import { invalidField } from '../arm-error.js';
import { operationSchema } from '../resource-schemas.js';
import type { ResourceKind } from '../resource-kind.js';

export const operationKind: ResourceKind = {
  kind: 'operation',
  armType: 'Microsoft.ApiManagement/service/apis/operations',
  label: 'Operation',
  schema: operationSchema,
  namePattern: /^[^*#&+:<>?\/]{1,80}$/,
  async prepare({ properties }) {
    const method = String(properties.method).toUpperCase();
    if (!/^[A-Z][A-Z0-9-]*$/.test(method)) throw invalidField('method', `'${properties.method}' is not a valid HTTP method.`);
    const urlTemplate = String(properties.urlTemplate);
    if (!urlTemplate.startsWith('/')) throw invalidField('urlTemplate', "'urlTemplate' must start with '/'.");
    return { ...properties, method, urlTemplate, templateParameters: properties.templateParameters ?? [] };
  },
};
