/**
 * Entry point of the OpenAPI reader: specification text (OpenAPI 3.x or Swagger 2.0, YAML or
 * JSON) → the model's operations, with internal `$ref`s resolved offline.
 */
import type { Operation } from '../../model/resources.js';
import { buildOperations, type BuildOptions } from './build-operations.js';
import { dereferenceDocument } from './dereference-document.js';
import type { ExternalRefFolder } from './inline-external-refs.js';
import { parseSpecification, type SpecificationFormat } from './parse-specification.js';

export type { BuildOptions, RequiredQueryParameters } from './build-operations.js';
export type { SpecificationFormat } from './parse-specification.js';
export { OpenApiError } from './openapi-error.js';

/** Parses, dereferences and converts a specification (`folder`: files beside it may be referenced); throws OpenApiError. */
export async function operationsFromSpecification(text: string, format: SpecificationFormat, options: BuildOptions, folder?: ExternalRefFolder): Promise<Operation[]> {
  const parsed = parseSpecification(text, format);
  const document = await dereferenceDocument(parsed.document, folder);
  return buildOperations(parsed.version, document, options);
}
