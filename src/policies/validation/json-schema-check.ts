/**
 * A JSON body checked against a JSON schema with Ajv (the maintained JSON Schema validator),
 * compiled once per schema and options and kept while the snapshot's objects live. The error
 * text follows Newtonsoft.Json.Schema, which Azure's gateway uses ("Required properties are
 * missing from object: name."), and carries the line and position Azure reports.
 */
import { Ajv, type ErrorObject, type Options, type ValidateFunction } from 'ajv';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { declaredDraft, lowerCaseKeys, standardSchema, type SchemaOverrides } from './openapi-schema-dialect.js';
import { jsonValuePosition, positionAt, type TextPosition } from './json-value-position.js';

/** A schema and where it sits: `root` is the whole document `$ref`s resolve in, `pointer` the schema in it (`#/definitions/Pet`). */
export interface JsonSchemaSource {
  root: object;
  pointer?: string;
}

/** Why a body does not conform, with where. */
export interface JsonProblem extends TextPosition {
  message: string;
}

/** Checks one body text; undefined when it conforms. Throws when the schema itself cannot be compiled. */
export type JsonBodyCheck = (text: string) => JsonProblem | undefined;

const options: Options = { strict: false, allErrors: false, verbose: true, validateSchema: false, logger: false, ownProperties: true };
const schemaUri = 'urn:gatehouse:api-schema';

/** The formats OpenAPI documents use most, checked; any other format is accepted as Azure's validator does. */
const formats: Record<string, RegExp | ((value: string) => boolean)> = {
  'date-time': (v) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/i.test(v) && !Number.isNaN(Date.parse(v)),
  date: (v) => /^\d{4}-\d\d-\d\d$/.test(v) && !Number.isNaN(Date.parse(v)),
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  email: /^[^\s@]+@[^\s@]+\.[^\s@]+$/,
  int32: () => true,
  int64: () => true,
};

const compiled = new WeakMap<object, Map<string, JsonBodyCheck | Error>>();

/** The check for `source` under `overrides`, compiled on first use and kept with the schema object. */
export function jsonBodyCheck(source: JsonSchemaSource, overrides: SchemaOverrides): JsonBodyCheck {
  const key = `${source.pointer ?? ''}\u0000${String(overrides.additionalProperties)}\u0000${String(overrides.caseInsensitivePropertyNames === true)}`;
  let byKey = compiled.get(source.root);
  if (!byKey) compiled.set(source.root, (byKey = new Map()));
  let check = byKey.get(key);
  if (check === undefined) {
    try {
      check = compileCheck(source, overrides);
    } catch (err) {
      check = err instanceof Error ? err : new Error(String(err));
    }
    byKey.set(key, check);
  }
  if (check instanceof Error) throw check;
  return check;
}

function compileCheck(source: JsonSchemaSource, overrides: SchemaOverrides): JsonBodyCheck {
  const draft = declaredDraft(source.root);
  const ajv = draft === '2020-12' ? new Ajv2020(options) : draft === '2019-09' ? new Ajv2019(options) : new Ajv(options);
  for (const [name, format] of Object.entries(formats)) ajv.addFormat(name, format);
  const schema = standardSchema(source.root, draft, overrides) as object;
  let validate: ValidateFunction;
  if (source.pointer === undefined) validate = ajv.compile(schema);
  else {
    ajv.addSchema(schema, schemaUri);
    validate = ajv.compile({ $ref: `${schemaUri}${source.pointer}` });
  }
  const lowerKeys = overrides.caseInsensitivePropertyNames === true;
  return (text) => {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (err) {
      const message = (err as Error).message;
      const offset = /position (\d+)/.exec(message);
      return { message: `Unexpected content while parsing JSON: ${message}.`, ...positionAt(text, offset ? Number(offset[1]) : 0) };
    }
    if (validate(lowerKeys ? lowerCaseKeys(body) : body)) return undefined;
    const error = validate.errors?.[0];
    if (!error) return { message: 'The body does not conform to the schema.', line: 1, position: 1 };
    return { message: describe(error), ...jsonValuePosition(text, error.instancePath) };
  };
}

/** Ajv's error in Newtonsoft.Json.Schema's words. */
function describe(error: ErrorObject): string {
  const p = error.params as Record<string, unknown>;
  const path = error.instancePath === '' ? '' : ` Path '${error.instancePath.slice(1).replace(/\//g, '.')}'.`;
  switch (error.keyword) {
    case 'required':
      return `Required properties are missing from object: ${String(p.missingProperty)}.${path}`;
    case 'type':
      return `Invalid type. Expected ${typeWord(p.type)} but got ${typeWord(jsonType(error.data))}.${path}`;
    case 'additionalProperties':
      return `Property '${String(p.additionalProperty)}' has not been defined and the schema does not allow additional properties.${path}`;
    case 'enum':
      return `Value ${JSON.stringify(error.data)} is not defined in enum.${path}`;
    case 'pattern':
      return `String '${String(error.data)}' does not match regex pattern '${String(p.pattern)}'.${path}`;
    case 'minimum':
    case 'exclusiveMinimum':
      return `${numberWord(error.data)} ${String(error.data)} is less than minimum value of ${String(p.limit)}.${path}`;
    case 'maximum':
    case 'exclusiveMaximum':
      return `${numberWord(error.data)} ${String(error.data)} exceeds maximum value of ${String(p.limit)}.${path}`;
    case 'minLength':
      return `String '${String(error.data)}' is less than minimum length of ${String(p.limit)}.${path}`;
    case 'maxLength':
      return `String '${String(error.data)}' exceeds maximum length of ${String(p.limit)}.${path}`;
    case 'minItems':
      return `Array item count ${Array.isArray(error.data) ? error.data.length : 0} is less than minimum count of ${String(p.limit)}.${path}`;
    case 'maxItems':
      return `Array item count ${Array.isArray(error.data) ? error.data.length : 0} exceeds maximum count of ${String(p.limit)}.${path}`;
    case 'format':
      return `String '${String(error.data)}' does not validate against format '${String(p.format)}'.${path}`;
    default:
      return `${error.message ?? 'does not conform'} (${error.keyword}).${path}`;
  }
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/** Newtonsoft's JSchemaType names: `Integer`, `String`, `Object, Null` … */
function typeWord(type: unknown): string {
  const list = Array.isArray(type) ? type : String(type).split(',');
  return list.map((t) => String(t).charAt(0).toUpperCase() + String(t).slice(1)).join(', ');
}

function numberWord(value: unknown): string {
  return typeof value === 'number' && Number.isInteger(value) ? 'Integer' : 'Float';
}
