/**
 * API schemas (Azure's Schema contract): documents an API's operations refer to by `schemaId`
 * (XSD for SOAP, Swagger definitions, OpenAPI components, a GraphQL SDL). Stored as given and
 * served back; the document must carry the part its content type names.
 */
import { invalidField } from '../arm-error.js';
import { apiSchemaSchema } from '../observability-schemas.js';
import type { ResourceKind } from '../resource-kind.js';

/** Which part of `document` each JSON content type keeps (the others keep `value`, a text). */
const jsonParts: Record<string, string> = {
  'application/vnd.ms-azure-apim.swagger.definitions+json': 'definitions',
  'application/vnd.oai.openapi.components+json': 'components',
};

export const apiSchemaKind: ResourceKind = {
  kind: 'apiSchema',
  armType: 'Microsoft.ApiManagement/service/apis/schemas',
  label: 'Schema',
  schema: apiSchemaSchema,
  namePattern: /^[^*#&+:<>?\/]{1,80}$/,
  longRunning: true,
  async prepare({ properties }) {
    const document = (properties.document ?? {}) as Record<string, unknown>;
    const part = jsonParts[String(properties.contentType).toLowerCase()] ?? 'value';
    const given = document[part];
    const present = part === 'value' ? typeof given === 'string' && given !== '' : typeof given === 'object' && given !== null && !Array.isArray(given);
    if (!present) throw invalidField(`document.${part}`, `A schema of content type '${String(properties.contentType)}' needs document.${part}.`);
    return { ...properties };
  },
};
