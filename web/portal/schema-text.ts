/**
 * The schema a representation names, as text to show: the inline schema an OpenAPI import
 * resolved, or the type (`typeName`) in the API's schema document (`schemaId`): Swagger 2
 * `definitions`, OpenAPI 3 `components.schemas`, or the document's text (XSD, GraphQL).
 * Undefined when the representation names no schema or the document does not have it.
 */
import type { ApiSchema, RepresentationContract } from './catalogue-resources.js';
import { prettyValue } from './pretty-json.js';

export interface SchemaText {
  /** Where the schema came from: `Pet in schema petstore`, or `inline`. */
  source: string;
  text: string;
}

export function schemaText(representation: RepresentationContract, schemas: readonly ApiSchema[]): SchemaText | undefined {
  if (representation.schema !== undefined && representation.schema !== null) return { source: 'inline', text: prettyValue(representation.schema) };
  if (!representation.schemaId) return undefined;
  const schema = schemas.find((s) => s.name.toLowerCase() === representation.schemaId!.toLowerCase());
  const document = schema?.properties.document;
  if (!document) return undefined;
  const typeName = representation.typeName;
  const where = typeName ? `${typeName} in schema ${schema!.name}` : `schema ${schema!.name}`;
  if (typeName) {
    const found = own(document.definitions, typeName) ?? own(document.components?.schemas, typeName);
    if (found !== undefined) return { source: where, text: prettyValue(found) };
  }
  if (typeof document.value === 'string') return { source: where, text: document.value };
  if (!typeName && (document.definitions || document.components)) return { source: where, text: prettyValue(document.definitions ?? document.components) };
  return undefined;
}

function own(record: Record<string, unknown> | undefined, key: string): unknown {
  return record && Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}
