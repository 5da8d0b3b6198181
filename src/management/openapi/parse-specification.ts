/** Parses an OpenAPI 3.x or Swagger 2.0 document from YAML or JSON text. */
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { OpenApiError } from './openapi-error.js';

export type SpecificationFormat = 'json' | 'yaml';

export interface ParsedSpecification {
  /** 2 for Swagger 2.0, 3 for OpenAPI 3.x. */
  version: 2 | 3;
  document: Record<string, unknown>;
}

/** Parses the text and identifies its OpenAPI version; throws OpenApiError. */
export function parseSpecification(text: string, format: SpecificationFormat): ParsedSpecification {
  let value: unknown;
  try {
    // The yaml package reads JSON too, but JSON.parse gives JSON-shaped error messages.
    value = format === 'json' ? JSON.parse(text) : parseYaml(text, { prettyErrors: true });
  } catch (err) {
    const what = format === 'json' ? 'invalid JSON' : 'invalid YAML';
    const detail = err instanceof YAMLParseError || err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new OpenApiError(`${what} (${detail})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new OpenApiError('the specification must be an object');
  }
  const document = value as Record<string, unknown>;
  const openapi = document.openapi;
  const swagger = document.swagger;
  // Unquoted YAML versions arrive as numbers (`openapi: 3.0` → 3, `swagger: 2.0` → 2).
  if (typeof openapi === 'string' && /^3\.\d+(\.\d+)?$/.test(openapi)) return { version: 3, document };
  // The reference resolver wants version strings, so unquoted numbers are written back as strings.
  if (typeof openapi === 'number' && Math.floor(openapi) === 3) return { version: 3, document: { ...document, openapi: `${openapi.toFixed(1)}.0` } };
  if (swagger === '2.0') return { version: 2, document };
  if (swagger === 2) return { version: 2, document: { ...document, swagger: '2.0' } };
  throw new OpenApiError("not an OpenAPI 3.x or Swagger 2.0 document (no 'openapi: 3.x' or 'swagger: \"2.0\"')");
}
