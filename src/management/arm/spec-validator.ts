/**
 * One resource kind's request-body schema, built from Azure's published definitions
 * (spec-definitions.ts) when the kind is defined and compiled with ajv once, on its first use,
 * never per request.
 * A kind names the definitions of its PUT and PATCH bodies as Azure's specification does, and
 * the few places where Gatehouse differs: a property Azure requires that Gatehouse does not
 * (Azure's own examples omit it), a value Gatehouse narrows, an extension it keeps, and the
 * properties Azure accepts but Gatehouse does not implement, refused with a 400 naming them
 * (issue 14 §2: nothing acknowledged is ignored). Fields are looked up as own properties only:
 * `constructor` or `__proto__` in a body are unknown properties, never a prototype's.
 */
import { isDeepStrictEqual } from 'node:util';
import { Ajv, type ValidateFunction } from 'ajv';
import type { ArmErrorDetail } from './arm-error.js';
import { findPrototypeKey, prototypeKeyMessage } from './prototype-keys.js';
import { apimDefinitions, nullable, type DefinitionSet, type JsonSchema } from './spec-definitions.js';
import { specProblems } from './spec-problems.js';

/** How a kind's body schema is made from Azure's definitions. */
export interface KindSchemaOptions {
  /** The extract the definitions are named in; default: the management API's. */
  definitions?: DefinitionSet;
  /** Azure's definition of a PUT body's `properties`; none for kinds whose PUT takes no properties. */
  put?: string;
  /** Azure's definition of a PATCH body's `properties`; default: the PUT's, with nothing required. */
  patch?: string;
  /** The definition a GET answers: its properties that a request cannot set are dropped when sent back. */
  response?: string;
  /** Top-level properties Azure's definition requires and Gatehouse does not. */
  optional?: readonly string[];
  /** Top-level properties Gatehouse requires beyond Azure's definition. */
  required?: readonly string[];
  /**
   * Keywords merged into the schema at a property path (`a.b[].c`); a missing last property is
   * added, and a keyword given as `undefined` is removed (a check Gatehouse makes itself, with
   * better words).
   */
  amend?: Readonly<Record<string, JsonSchema>>;
  /**
   * Property paths accepted with one value only (what Gatehouse renders and cannot change, as a
   * subnet's `privateEndpointNetworkPolicies: "Disabled"`); null reads as not given.
   */
  fixed?: Readonly<Record<string, unknown>>;
  /** Property paths Azure accepts and Gatehouse does not implement, with the reason: refused with 400. */
  notSupported?: Readonly<Record<string, string>>;
  /** More top-level properties dropped as read-only (server-computed ones a GET answers). */
  readOnly?: readonly string[];
}

/** A kind's compiled request-body schema. */
export interface KindSchema {
  /** Checks a request's `properties`; returns the copy to store (read-only ones dropped) and the problems. */
  check(input: Record<string, unknown>, method: 'PUT' | 'PATCH'): { value: Record<string, unknown>; problems: ArmErrorDetail[] };
  /** Top-level properties a resource must have (checked again after a PATCH is merged). */
  readonly required: readonly string[];
  /** Top-level properties a PUT body may name (those refused as not implemented included). */
  readonly writable: ReadonlySet<string>;
  /** Top-level properties dropped when sent (server-computed). */
  readonly readOnly: ReadonlySet<string>;
  /** Property paths accepted with one value only, and that value. */
  readonly fixed: Readonly<Record<string, unknown>>;
  /** Property paths refused as not implemented, with the reason (those the extract cut included). */
  readonly notSupported: Readonly<Record<string, string>>;
  /** Every property path a PUT or PATCH body may carry (`[]` an array's items, `*` a map's values). */
  readonly paths: readonly string[];
}

const ajv = new Ajv({ allErrors: true, strict: false, ownProperties: true, verbose: true, validateFormats: false });
// APIM compares enum values without case (`modelAsString` enums, and `published` as `Published`).
ajv.addKeyword({
  keyword: 'enumIgnoringCase',
  schemaType: 'array',
  validate: (allowed: string[], data: unknown) =>
    typeof data !== 'string' || allowed.some((a) => a.toLowerCase() === data.toLowerCase()),
});
// A property Gatehouse does not implement: any value is refused (issue 14 §2).
ajv.addKeyword({ keyword: 'notSupported', schemaType: 'string', validate: () => false });
// A property Gatehouse renders with one value: that value (or null, "not given") only.
ajv.addKeyword({ keyword: 'fixedValue', validate: (fixed: unknown, data: unknown) => data === null || isDeepStrictEqual(data, fixed) });

interface Located {
  parent: JsonSchema;
  key: string;
}

/** The parent object schema and key of a property path, creating the last property when asked. */
function locate(root: JsonSchema, path: string): Located | undefined {
  const segments = path.split('.');
  let node: JsonSchema | undefined = root;
  for (let i = 0; i < segments.length; i++) {
    const isItems = segments[i]!.endsWith('[]');
    const key = segments[i]!.replace(/\[\]$/, '');
    const properties = node.properties as Record<string, JsonSchema> | undefined;
    if (!properties) return undefined;
    if (i === segments.length - 1 && !isItems) return { parent: node, key };
    node = properties[key];
    if (!node) return undefined;
    if (isItems) node = node.items as JsonSchema | undefined;
    if (!node) return undefined;
  }
  return undefined;
}

function amend(root: JsonSchema, options: KindSchemaOptions, requireTop: boolean): void {
  for (const [path, keywords] of Object.entries(options.amend ?? {})) {
    if (path.endsWith('[]')) {
      // An array's items: amended in place.
      const at = locate(root, path.slice(0, -2));
      const items = at && ((at.parent.properties as Record<string, JsonSchema>)[at.key]?.items as JsonSchema | undefined);
      if (!items) throw new Error(`azure-spec: cannot amend '${path}'`);
      Object.assign(items, keywords);
      dropUndefined(items);
      continue;
    }
    const at = locate(root, path);
    if (!at) throw new Error(`azure-spec: cannot amend '${path}'`);
    const properties = at.parent.properties as Record<string, JsonSchema>;
    properties[at.key] = dropUndefined(properties[at.key] ? { ...properties[at.key], ...keywords } : nullable(keywords));
  }
  for (const [path, value] of Object.entries(options.fixed ?? {})) {
    const at = locate(root, path);
    const properties = at && (at.parent.properties as Record<string, JsonSchema>);
    if (!at || !properties![at.key]) throw new Error(`azure-spec: no property '${path}' to fix`);
    properties![at.key] = { ...properties![at.key], fixedValue: value };
  }
  for (const [path, reason] of Object.entries(options.notSupported ?? {})) {
    // The PUT and PATCH definitions need not both have it; kindSchema checks one has.
    const at = locate(root, path);
    if (at && (at.parent.properties as Record<string, JsonSchema>)[at.key]) (at.parent.properties as Record<string, JsonSchema>)[at.key] = { notSupported: reason };
  }
  let required = ((root.required as string[] | undefined) ?? []).filter((r) => !options.optional?.includes(r));
  if (requireTop) required = [...required, ...(options.required ?? [])];
  else required = [];
  const properties = root.properties as Record<string, JsonSchema>;
  for (const key of required) {
    const p = properties[key];
    // A required property may not be null either.
    if (p && Array.isArray(p.type)) properties[key] = { ...p, type: p.type[0] };
  }
  if (required.length > 0) root.required = required;
  else delete root.required;
}

/** The schema without the keywords an amendment removed (set to undefined). */
function dropUndefined(schema: JsonSchema): JsonSchema {
  for (const [k, v] of Object.entries(schema)) if (v === undefined) delete schema[k];
  return schema;
}

function emptyObject(): JsonSchema {
  return { type: 'object', properties: {}, additionalProperties: false };
}

/** Every property path of a schema, for the enforced-or-refused tests, and those refused with their reason. */
function pathsOf(schema: JsonSchema, prefix: string, out: Set<string>, refused: Record<string, string>): void {
  const properties = schema.properties as Record<string, JsonSchema> | undefined;
  for (const [key, inner] of Object.entries(properties ?? {})) {
    if (inner.readOnly === true) continue;
    const path = prefix === '' ? key : `${prefix}.${key}`;
    out.add(path);
    if (typeof inner.notSupported === 'string') refused[path] = inner.notSupported;
    else walkValue(inner, path, out, refused);
  }
  const map = schema.additionalProperties;
  if (map && typeof map === 'object') walkValue(map as JsonSchema, `${prefix}.*`, out, refused);
}

function walkValue(schema: JsonSchema, path: string, out: Set<string>, refused: Record<string, string>): void {
  const items = schema.items as JsonSchema | undefined;
  if (items) pathsOf(items, `${path}[]`, out, refused);
  else pathsOf(schema, path, out, refused);
}

/** Builds and compiles a kind's body schema from Azure's definitions (once, at start). */
export function kindSchema(options: KindSchemaOptions): KindSchema {
  const definitions = options.definitions ?? apimDefinitions;
  const put = options.put ? definitions.schema(options.put) : emptyObject();
  const patch = options.patch ? definitions.schema(options.patch) : options.put ? definitions.schema(options.put) : emptyObject();
  amend(put, options, true);
  amend(patch, options, false);
  const requestNames = new Set([...Object.keys(put.properties as object), ...Object.keys(patch.properties as object)]);
  const readOnly = new Set<string>([...(options.readOnly ?? [])]);
  for (const name of [options.put, options.patch, options.response]) {
    if (name) for (const k of definitions.readOnlyProperties(name)) readOnly.add(k);
  }
  if (options.response) for (const k of definitions.propertyNames(options.response)) if (!requestNames.has(k)) readOnly.add(k);
  for (const schema of [put, patch]) {
    const properties = schema.properties as Record<string, JsonSchema>;
    for (const k of readOnly) properties[k] = { readOnly: true };
  }
  // Compiled on a kind's first write, once: compiling all twenty kinds up front cost seconds of
  // every start (and of every test process) on a loaded machine, for kinds a run may never write.
  const validators: Partial<Record<'PUT' | 'PATCH', ValidateFunction>> = {};
  const validatorFor = (method: 'PUT' | 'PATCH'): ValidateFunction => (validators[method] ??= ajv.compile(method === 'PUT' ? put : patch));
  const paths = new Set<string>();
  const refused: Record<string, string> = {};
  pathsOf(put, '', paths, refused);
  pathsOf(patch, '', paths, refused);
  for (const path of Object.keys(options.notSupported ?? {})) if (!paths.has(path)) throw new Error(`azure-spec: no property '${path}' to refuse`);
  return {
    check(input, method) {
      const prototypePath = findPrototypeKey(input);
      if (prototypePath !== undefined) {
        return { value: {}, problems: [{ code: 'ValidationError', target: prototypePath, message: prototypeKeyMessage(prototypePath) }] };
      }
      const validate = validatorFor(method);
      const problems = validate(input) ? [] : specProblems(validate.errors ?? []);
      const value: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(input)) if (!readOnly.has(k)) value[k] = v;
      return { value, problems };
    },
    required: (put.required as string[] | undefined) ?? [],
    writable: new Set(Object.entries(put.properties as Record<string, JsonSchema>).filter(([, s]) => s.readOnly !== true).map(([k]) => k)),
    readOnly,
    fixed: { ...(options.fixed ?? {}) },
    notSupported: refused,
    paths: [...paths].sort(),
  };
}
