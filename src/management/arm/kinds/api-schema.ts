/**
 * API schemas (`/apis/{api}/schemas/{schemaId}`, Azure's SchemaContract): a document an API
 * refers to. GraphQL APIs keep their SDL here (contentType
 * `application/vnd.ms-azure-apim.graphql.schema`, `document.value`); such a document is parsed
 * before it is stored and a broken one is refused naming line and column. Other content types
 * (XSD, JSON schemas) are stored as given.
 */
import { describeGraphqlProblem, graphqlSchemaContentType, graphqlSchemaProblem } from '../../api-types/graphql-schema.js';
import { invalidField } from '../arm-error.js';
import type { PropertiesSchema } from '../property-schema.js';
import type { ResourceKind } from '../resource-kind.js';

/** Azure's SchemaContractProperties: a content type and the document. */
const apiSchemaProperties: PropertiesSchema = {
  fields: {
    contentType: { type: 'string', required: true, maxLength: 500 },
    document: {
      type: 'object',
      required: true,
      properties: { value: { type: 'string' }, definitions: { type: 'any' }, components: { type: 'any' } },
    },
  },
  readOnly: ['provisioningState'],
};

export const apiSchemaKind: ResourceKind = {
  kind: 'apiSchema',
  armType: 'Microsoft.ApiManagement/service/apis/schemas',
  label: 'Schema',
  schema: apiSchemaProperties,
  namePattern: /^[^*#&+:<>?\/]{1,80}$/,
  longRunning: true,
  async prepare({ properties }) {
    const contentType = String(properties.contentType);
    const document = properties.document as Record<string, unknown>;
    if (contentType.toLowerCase() === graphqlSchemaContentType) {
      if (typeof document.value !== 'string') throw invalidField('document.value', 'A GraphQL schema needs its SDL in document.value.');
      const problem = graphqlSchemaProblem(document.value);
      if (problem) throw invalidField('document.value', `The GraphQL schema is invalid: ${describeGraphqlProblem(problem)}`);
    }
    return { contentType, document };
  },
};
