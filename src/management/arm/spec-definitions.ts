/**
 * Azure's published definitions of the management API's request bodies (api-version 2024-05-01,
 * `azure-spec/definitions.json`, see the README beside it) turned into plain JSON Schema, once,
 * when a kind's schema is built. Swagger 2.0 is JSON Schema draft 4 plus ARM's conventions, and
 * those conventions are what this file spells out:
 * - `allOf` is inheritance (ApiCreateOrUpdateProperties extends ApiContractProperties extends
 *   ApiEntityBaseContract), so the members' properties and `required` lists are merged into one
 *   object; a property no member declares is unknown and refused (`additionalProperties: false`),
 *   where ARM would drop it silently (docs/management-api.md "Unknown properties").
 * - `$ref`s are inlined, so each property path has its own schema that Gatehouse can amend.
 * - an optional property may be `null` (ARM reads null as "not given").
 * - enums compare without case (`modelAsString` enums are case-insensitive in APIM).
 * - `readOnly` properties are what a GET answers; a client that sends one back is not refused, the
 *   value is dropped, as ARM does.
 * Descriptions and `x-ms-*` keywords carry no validation; of the formats, `duration` is checked
 * (an ISO 8601 duration), the others where they mean something (dates by the kinds that use them).
 */
import { isoDurationPattern } from '../../model/iso-duration.js';
// Imported, not read from disk: tsc copies the file to dist/ beside this module.
import definitionsFile from './azure-spec/definitions.json' with { type: 'json' };

/** A JSON Schema node as ajv compiles it (draft 7 keywords plus the two of spec-validator.ts). */
export type JsonSchema = { [keyword: string]: unknown };

type SwaggerSchema = {
  type?: string;
  $ref?: string;
  allOf?: SwaggerSchema[];
  properties?: Record<string, SwaggerSchema>;
  additionalProperties?: SwaggerSchema | boolean;
  required?: string[];
  items?: SwaggerSchema;
  enum?: string[];
  readOnly?: boolean;
  [keyword: string]: unknown;
};

/**
 * The mark an extract puts on a property Azure defines and Gatehouse does not implement, whose
 * definition it does not copy (network-definitions.json); its value is the reason given.
 */
export const notSupportedMark = 'x-gatehouse-not-supported';

const copiedKeywords = ['minLength', 'maxLength', 'pattern', 'minimum', 'maximum', 'minItems', 'maxItems'] as const;

/** One file of Azure's definitions (Swagger's `definitions` object), read through ARM's conventions above. */
export interface DefinitionSet {
  /** Whether the file defines `name`. */
  has(name: string): boolean;
  /** The JSON Schema of definition `name`: an object schema whose properties are all known. */
  schema(name: string): JsonSchema;
  /** The top-level property names the definition marks read-only (after `allOf`). */
  readOnlyProperties(name: string): string[];
  /** The top-level property names of the definition (after `allOf`). */
  propertyNames(name: string): string[];
}

/** The definitions of one extract (the management API's, or Microsoft.Network's beside its handlers). */
export function definitionSet(file: unknown): DefinitionSet {
  const definitions = (file as { definitions: Record<string, SwaggerSchema> }).definitions;
  const has = (name: string): boolean => Object.hasOwn(definitions, name);
  const merged = (name: string): SwaggerSchema => mergeAllOf(resolve(definitions, { $ref: `#/definitions/${name}` }, []), definitions, []);
  return {
    has,
    schema: (name) => convert(definitions, { $ref: `#/definitions/${name}` }, []),
    readOnlyProperties: (name) =>
      Object.entries(merged(name).properties ?? {})
        .filter(([, p]) => p.readOnly === true)
        .map(([k]) => k),
    propertyNames: (name) => Object.keys(merged(name).properties ?? {}),
  };
}

/** The management API's definitions (`azure-spec/definitions.json`). */
export const apimDefinitions = definitionSet(definitionsFile);

/** The JSON Schema of the management API's definition `name`. */
export function definitionSchema(name: string): JsonSchema {
  return apimDefinitions.schema(name);
}

type Definitions = Record<string, SwaggerSchema>;

function resolve(definitions: Definitions, node: SwaggerSchema, seen: readonly string[]): SwaggerSchema {
  if (node.$ref === undefined) return node;
  const name = node.$ref.replace(/^.*#\/definitions\//, '');
  if (!Object.hasOwn(definitions, name)) throw new Error(`azure-spec: no definition '${name}'`);
  // No definition served today refers to itself; a cycle would be a broken copy, not a body.
  if (seen.includes(name)) throw new Error(`azure-spec: definition '${name}' refers to itself`);
  const { $ref: _ref, ...rest } = node;
  return { ...definitions[name]!, ...rest, $resolved: [...seen, name] };
}

function mergeAllOf(node: SwaggerSchema, definitions: Definitions, seen: readonly string[]): SwaggerSchema {
  if (!node.allOf) return node;
  const trail = (node.$resolved as string[] | undefined) ?? seen;
  let properties: Record<string, SwaggerSchema> = {};
  const required = new Set<string>();
  let type = node.type;
  for (const member of node.allOf) {
    const m = mergeAllOf(resolve(definitions, member, trail), definitions, trail);
    properties = { ...properties, ...(m.properties ?? {}) };
    for (const r of m.required ?? []) required.add(r);
    type ??= m.type;
  }
  properties = { ...properties, ...(node.properties ?? {}) };
  for (const r of node.required ?? []) required.add(r);
  const { allOf: _allOf, ...rest } = node;
  const merged: SwaggerSchema = { ...rest, properties, required: [...required] };
  if (type !== undefined) merged.type = type;
  return merged;
}

function convert(definitions: Definitions, raw: SwaggerSchema, seen: readonly string[]): JsonSchema {
  const resolved = resolve(definitions, raw, seen);
  const trail = (resolved.$resolved as string[] | undefined) ?? seen;
  const node = mergeAllOf(resolved, definitions, trail);
  // A property the extract cut (its definition is not copied): any value is refused, naming it.
  if (typeof node[notSupportedMark] === 'string') return { notSupported: node[notSupportedMark] };
  const out: JsonSchema = {};
  const type = node.type ?? (node.properties || node.additionalProperties ? 'object' : undefined);
  if (type !== undefined) out.type = type;
  for (const k of copiedKeywords) if (node[k] !== undefined) out[k] = node[k];
  if (node.enum) out.enumIgnoringCase = node.enum;
  // Durations (a circuit breaker's interval and trip) are ISO 8601, as .NET's TimeSpan reads them.
  if (node.format === 'duration') out.pattern = isoDurationPattern.source;
  if (type === 'array' && node.items) out.items = convert(definitions, node.items, trail);
  if (node.properties) {
    const required = node.required ?? [];
    const properties: Record<string, JsonSchema> = {};
    for (const [key, value] of Object.entries(node.properties)) {
      properties[key] = value.readOnly === true ? { readOnly: true } : convert(definitions, value, trail);
      if (!required.includes(key)) properties[key] = nullable(properties[key]!);
    }
    out.properties = properties;
    if (required.length > 0) out.required = required;
  }
  if (type === 'object') {
    if (node.additionalProperties && typeof node.additionalProperties === 'object') {
      out.additionalProperties = convert(definitions, node.additionalProperties, trail);
    } else if (node.properties) {
      out.additionalProperties = false;
    }
  }
  return out;
}

/** The schema with `null` allowed besides its type. */
export function nullable(schema: JsonSchema): JsonSchema {
  if (typeof schema.type !== 'string') return schema;
  return { ...schema, type: [schema.type, 'null'] };
}
