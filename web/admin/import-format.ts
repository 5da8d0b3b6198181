/**
 * The management API's import format for an OpenAPI document given by value
 * (docs/management-api.md "APIs"): JSON is `openapi+json`, or `swagger-json` for a Swagger 2.0
 * document; anything else is sent as `openapi` (YAML), and the server says if it does not parse.
 */

/** The import format of a document's text. */
export function importFormat(text: string): 'openapi+json' | 'swagger-json' | 'openapi' {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return 'openapi';
  }
  return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) && 'swagger' in parsed ? 'swagger-json' : 'openapi+json';
}
