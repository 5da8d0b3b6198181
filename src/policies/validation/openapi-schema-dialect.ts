/**
 * Turns a schema as API definitions carry it (Swagger 2 / OpenAPI 3.0 Schema Objects, which are
 * draft-04 JSON Schema with extensions) into one a standard JSON Schema validator reads the same
 * way, and applies validate-content's overrides. A copy is returned; the snapshot's schema is
 * never changed. OpenAPI 3.1 and documents declaring draft 2019-09 or 2020-12 are standard JSON
 * Schema and only get the overrides.
 */

export interface SchemaOverrides {
  /** `allow-additional-properties`: true allows, false forbids extra properties on every object schema. */
  additionalProperties?: boolean;
  /** `case-insensitive-property-names`: property names are compared in lower case (the body's keys are lowered too). */
  caseInsensitivePropertyNames?: boolean;
}

/** Keywords whose value is a map of names to schemas. */
const schemaMaps = new Set(['properties', 'patternProperties', 'definitions', '$defs', 'dependentSchemas']);
/** Keywords whose value is one schema. */
const schemaValued = new Set(['items', 'additionalProperties', 'not', 'contains', 'propertyNames', 'if', 'then', 'else', 'unevaluatedProperties', 'unevaluatedItems', 'additionalItems']);
/** Keywords whose value is a list of schemas. */
const schemaLists = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems']);

/** The draft a schema declares with `$schema`, `draft4` for OpenAPI 3.0 / Swagger 2 (no or an older declaration). */
export type SchemaDraft = 'draft4' | 'draft7' | '2019-09' | '2020-12';

/** Which validator a schema needs, from its `$schema` (OpenAPI's Schema Objects declare none). */
export function declaredDraft(schema: unknown): SchemaDraft {
  const declared = typeof schema === 'object' && schema !== null ? (schema as Record<string, unknown>).$schema : undefined;
  if (typeof declared !== 'string') return 'draft4';
  if (declared.includes('2020-12')) return '2020-12';
  if (declared.includes('2019-09')) return '2019-09';
  if (declared.includes('draft-07') || declared.includes('draft-06')) return 'draft7';
  return 'draft4';
}

/** A copy of `schema` a draft-07 / 2019-09 / 2020-12 validator can compile, with the overrides applied. */
export function standardSchema(schema: unknown, draft: SchemaDraft, overrides: SchemaOverrides): unknown {
  const seen = new Map<object, unknown>();
  const visit = (node: unknown): unknown => {
    if (typeof node !== 'object' || node === null) return node;
    const done = seen.get(node);
    if (done !== undefined) return done;
    if (Array.isArray(node)) {
      const copy: unknown[] = [];
      seen.set(node, copy);
      for (const item of node) copy.push(visit(item));
      return copy;
    }
    const source = node as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    seen.set(node, out);
    for (const [key, value] of Object.entries(source)) {
      if (key === '$schema' && draft !== '2019-09' && draft !== '2020-12') continue;
      if (schemaMaps.has(key) && isRecord(value)) {
        const map: Record<string, unknown> = {};
        for (const [name, sub] of Object.entries(value)) {
          const mapped = key === 'properties' && overrides.caseInsensitivePropertyNames ? name.toLowerCase() : name;
          map[mapped] = visit(sub);
        }
        out[key] = map;
      } else if (schemaValued.has(key) && typeof value === 'object' && value !== null) {
        out[key] = Array.isArray(value) ? value.map(visit) : visit(value);
      } else if (schemaLists.has(key) && Array.isArray(value)) {
        out[key] = value.map(visit);
      } else if (key === 'components' && isRecord(value)) {
        out[key] = Object.fromEntries(Object.entries(value).map(([part, entries]) => [part, isRecord(entries) ? Object.fromEntries(Object.entries(entries).map(([n, s]) => [n, visit(s)])) : entries]));
      } else if (key === 'required' && Array.isArray(value) && overrides.caseInsensitivePropertyNames) {
        out[key] = value.map((name) => (typeof name === 'string' ? name.toLowerCase() : name));
      } else {
        out[key] = value;
      }
    }
    if (draft === 'draft4') fromDraft4(out);
    applyAdditionalProperties(out, overrides.additionalProperties);
    return out;
  };
  return visit(schema);
}

/** OpenAPI 3.0's `nullable` and draft-04's boolean `exclusiveMinimum`/`exclusiveMaximum`, in today's JSON Schema. */
function fromDraft4(schema: Record<string, unknown>): void {
  if (schema.nullable === true) {
    if (typeof schema.type === 'string') schema.type = [schema.type, 'null'];
    else if (Array.isArray(schema.type) && !schema.type.includes('null')) schema.type = [...schema.type, 'null'];
    if (Array.isArray(schema.enum) && !schema.enum.includes(null)) schema.enum = [...schema.enum, null];
  }
  delete schema.nullable;
  for (const [exclusive, bound] of [['exclusiveMinimum', 'minimum'], ['exclusiveMaximum', 'maximum']] as const) {
    if (typeof schema[exclusive] !== 'boolean') continue;
    if (schema[exclusive] === true && typeof schema[bound] === 'number') {
      schema[exclusive] = schema[bound];
      delete schema[bound];
    } else {
      delete schema[exclusive];
    }
  }
  // Draft-04's `id` names a base URI; OpenAPI schemas use it as an ordinary property name only under `properties`.
  if (typeof schema.id === 'string') delete schema.id;
}

/** allow-additional-properties: replaces what the schema says on every schema that describes an object. */
function applyAdditionalProperties(schema: Record<string, unknown>, allow: boolean | undefined): void {
  if (allow === undefined) return;
  const describesObject = schema.type === 'object' || (Array.isArray(schema.type) && schema.type.includes('object')) || isRecord(schema.properties);
  if (!describesObject) return;
  if (allow) delete schema.additionalProperties;
  else schema.additionalProperties = false;
}

/** The body with every object key in lower case, for case-insensitive-property-names. */
export function lowerCaseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(lowerCaseKeys);
  if (!isRecord(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k.toLowerCase(), lowerCaseKeys(v)]));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
