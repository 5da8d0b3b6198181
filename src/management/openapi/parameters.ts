/** OpenAPI parameter objects → the model's TemplateParameter (both Swagger 2 and OpenAPI 3). */
import type { TemplateParameter } from '../../model/resources.js';
import { asObject, asObjectArray, asText, type JsonObject } from './json-object.js';

/** Path-level parameters overridden by operation-level ones with the same `in` and `name`. */
export function mergeParameters(pathLevel: unknown, operationLevel: unknown): JsonObject[] {
  const byKey = new Map<string, JsonObject>();
  for (const p of [...asObjectArray(pathLevel), ...asObjectArray(operationLevel)]) {
    if (typeof p.name !== 'string' || typeof p.in !== 'string') continue;
    byKey.set(`${p.in}:${p.name}`, p);
  }
  return [...byKey.values()];
}

/** Converts one parameter; OpenAPI 3 keeps type, default and enum under `schema`. */
export function toTemplateParameter(p: JsonObject): TemplateParameter {
  const schema = asObject(p.schema) ?? p;
  const out: TemplateParameter = { name: String(p.name), required: p.in === 'path' ? true : p.required === true };
  const type = typeof schema.type === 'string' ? schema.type : Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : undefined;
  if (typeof type === 'string') out.type = type;
  if (schema.default !== undefined) out.defaultValue = scalarText(schema.default);
  if (Array.isArray(schema.enum)) out.values = schema.enum.map(scalarText);
  const description = asText(p.description);
  if (description !== undefined) out.description = description;
  return out;
}

/** A header map (`{Name: headerObject}`) → TemplateParameters. */
export function headerParameters(headers: unknown): TemplateParameter[] | undefined {
  const map = asObject(headers);
  if (!map) return undefined;
  const out = Object.entries(map).map(([name, h]) => toTemplateParameter({ ...(asObject(h) ?? {}), name, in: 'header' }));
  return out.length > 0 ? out : undefined;
}

function scalarText(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}
