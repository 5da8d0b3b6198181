/**
 * API schemas (`/apis/{api}/schemas/{schemaId}`, Azure's SchemaContract): a document an API's
 * operations refer to by `schemaId` (XSD for SOAP, Swagger definitions, OpenAPI components, a
 * GraphQL SDL). The document must carry the part its content type names. GraphQL APIs keep
 * their SDL here (contentType `application/vnd.ms-azure-apim.graphql.schema`, `document.value`);
 * such a document is parsed before it is stored and a broken one is refused naming line and
 * column. Other content types are stored as given.
 */
import { describeGraphqlProblem, graphqlSchemaContentType, graphqlSchemaProblem } from '../../api-types/graphql-schema.js';
import { invalidField } from '../arm-error.js';
import type { ResourceKind } from '../resource-kind.js';
import { apiSchemaSchema } from '../resource-schemas.js';

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
    const contentType = String(properties.contentType);
    const document = properties.document as Record<string, unknown>;
    const part = jsonParts[contentType.toLowerCase()] ?? 'value';
    const given = document[part];
    const present = part === 'value' ? typeof given === 'string' && given !== '' : typeof given === 'object' && given !== null && !Array.isArray(given);
    if (!present) throw invalidField(`document.${part}`, `A schema of content type '${contentType}' needs document.${part}.`);
    if (contentType.toLowerCase() === graphqlSchemaContentType) {
      const problem = graphqlSchemaProblem(String(document.value));
      if (problem) throw invalidField('document.value', `The GraphQL schema is invalid: ${describeGraphqlProblem(problem)}`);
    }
    return { contentType, document };
  },
};
