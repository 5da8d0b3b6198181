/**
 * A small schema language for ARM `properties` (reference §5.2) and its validator. Every
 * problem found becomes one `details[]` entry (code, target, message) of a 400 ValidationError.
 * Unknown properties are refused rather than dropped: a typo must not be stored silently as a
 * default (docs/management-api.md "Unknown properties"). Read-only properties a client echoes
 * back from a GET are dropped. Fields are looked up as own properties only: `constructor`,
 * `toString` or `__proto__` in a body are unknown properties, never the schema's prototype.
 */
import type { ArmErrorDetail } from './arm-error.js';
import { hasOwnKey, ownValue, prototypeKey, prototypeKeyMessage } from './prototype-keys.js';

export type FieldSchema =
  | { type: 'string'; required?: boolean; minLength?: number; maxLength?: number; pattern?: RegExp; enum?: readonly string[]; nullable?: boolean }
  | { type: 'boolean'; required?: boolean; nullable?: boolean }
  | { type: 'integer'; required?: boolean; min?: number; max?: number; nullable?: boolean }
  | { type: 'array'; required?: boolean; items: FieldSchema; maxItems?: number; nullable?: boolean }
  | { type: 'object'; required?: boolean; properties?: Readonly<Record<string, FieldSchema>>; additional?: FieldSchema; nullable?: boolean }
  | { type: 'any'; required?: boolean };

/** The schema of one resource kind's `properties`. */
export interface PropertiesSchema {
  fields: Readonly<Record<string, FieldSchema>>;
  /** Server-computed properties: accepted in a request body and ignored. */
  readOnly?: readonly string[];
}

/** Checks `properties`; returns the cleaned copy (read-only fields dropped) and the problems. */
export function validateProperties(
  input: Record<string, unknown>,
  schema: PropertiesSchema,
  options: { partial: boolean },
): { value: Record<string, unknown>; problems: ArmErrorDetail[] } {
  const problems: ArmErrorDetail[] = [];
  const value: Record<string, unknown> = {};
  const readOnly = new Set(schema.readOnly);
  for (const [key, v] of Object.entries(input)) {
    if (readOnly.has(key)) continue;
    const field = ownValue(schema.fields, key) as FieldSchema | undefined;
    if (!field) {
      problems.push({ code: 'ValidationError', target: key, message: `Property '${key}' is not a known property of this resource.` });
      continue;
    }
    checkField(v, field, key, problems);
    value[key] = v;
  }
  if (!options.partial) {
    for (const [key, field] of Object.entries(schema.fields)) {
      const given = ownValue(input, key);
      if (field.required && (given === undefined || given === null)) {
        problems.push({ code: 'ValidationError', target: key, message: `'${key}' is required.` });
      }
    }
  }
  return { value, problems };
}

/** Checks one value against a field schema, collecting problems under `target`. */
export function checkField(v: unknown, field: FieldSchema, target: string, problems: ArmErrorDetail[]): void {
  const problem = (message: string): void => {
    problems.push({ code: 'ValidationError', target, message });
  };
  if (field.type === 'any') return;
  if (v === null) {
    if (!field.nullable && field.required) problem(`'${target}' must not be null.`);
    return;
  }
  switch (field.type) {
    case 'string': {
      if (typeof v !== 'string') return problem(`'${target}' must be a string.`);
      if (v.length < (field.minLength ?? 0)) {
        return problem(`'${target}' must be at least ${field.minLength} characters long.`);
      }
      if (v.length > (field.maxLength ?? Infinity)) {
        return problem(`'${target}' must be at most ${field.maxLength} characters long.`);
      }
      if (field.pattern && !field.pattern.test(v)) return problem(`'${target}' has an invalid format.`);
      if (field.enum && !field.enum.some((e) => e.toLowerCase() === v.toLowerCase())) {
        return problem(`'${target}' must be one of: ${field.enum.join(', ')}.`);
      }
      return;
    }
    case 'boolean':
      if (typeof v !== 'boolean') problem(`'${target}' must be a boolean.`);
      return;
    case 'integer':
      if (!isInteger(v)) return problem(`'${target}' must be an integer.`);
      if (v < (field.min ?? -Infinity)) return problem(`'${target}' must be at least ${field.min}.`);
      if (v > (field.max ?? Infinity)) return problem(`'${target}' must be at most ${field.max}.`);
      return;
    case 'array':
      if (!Array.isArray(v)) return problem(`'${target}' must be an array.`);
      if (v.length > (field.maxItems ?? Infinity)) {
        return problem(`'${target}' must have at most ${field.maxItems} items.`);
      }
      v.forEach((item, i) => checkField(item, field.items, `${target}[${i}]`, problems));
      return;
    case 'object': {
      if (typeof v !== 'object' || Array.isArray(v)) return problem(`'${target}' must be an object.`);
      const record = v as Record<string, unknown>;
      for (const [key, inner] of Object.entries(record)) {
        if (key === prototypeKey) {
          problems.push({ code: 'ValidationError', target: `${target}.${key}`, message: prototypeKeyMessage(`${target}.${key}`) });
          continue;
        }
        const named = field.properties && hasOwnKey(field.properties, key) ? field.properties[key] : undefined;
        const spec = named ?? field.additional;
        if (!spec) {
          problems.push({ code: 'ValidationError', target: `${target}.${key}`, message: `Property '${target}.${key}' is not a known property.` });
          continue;
        }
        checkField(inner, spec, `${target}.${key}`, problems);
      }
      for (const [key, inner] of Object.entries(field.properties ?? {})) {
        const given = ownValue(record, key);
        if (inner.required && (given === undefined || given === null)) {
          problems.push({ code: 'ValidationError', target: `${target}.${key}`, message: `'${target}.${key}' is required.` });
        }
      }
      return;
    }
  }
}

/** Number.isInteger as a type guard: false for every non-number as well. */
function isInteger(v: unknown): v is number {
  return Number.isInteger(v);
}

/** Returns the canonical spelling of an enum value (APIM accepts any case). */
export function canonicalEnum(value: unknown, allowed: readonly string[]): unknown {
  if (typeof value !== 'string') return value;
  return allowed.find((a) => a.toLowerCase() === value.toLowerCase()) ?? value;
}
