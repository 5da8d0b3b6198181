/**
 * Reading Microsoft.Network request bodies at the edge (DESIGN.md "Validate every input"): each
 * body is first checked against Azure's definition of it (network-schemas.ts), which refuses by
 * name every property Gatehouse does not implement and accepts back what a GET answered; the
 * readers then take the fields Gatehouse stores (the envelope, typed fields, resource names) and
 * make the checks no definition states (required fields, non-empty strings, names).
 */
import type { KindSchema } from '../arm/spec-validator.js';
import { badField, bodyRefusal, networkRefusal } from './network-errors.js';

/** A JSON object from a request body. */
export type JsonObject = Record<string, unknown>;

/** The envelope of a top-level network resource PUT. */
export interface ResourceEnvelope {
  location?: string;
  tags?: Record<string, string>;
  properties: JsonObject;
}

/** Checks a PUT body against its schema (Azure's definition); throws ArmError 400 naming what is wrong. */
export function checkedBody(schema: KindSchema, body: JsonObject | undefined): JsonObject {
  if (body === undefined) throw badField('properties', 'is required: the request has no body.');
  const { problems } = schema.check(body, 'PUT');
  if (problems.length > 0) throw bodyRefusal(problems);
  return body;
}

/** Checks a top-level PUT body and returns its envelope; throws ArmError 400. */
export function readEnvelope(schema: KindSchema, body: JsonObject | undefined): ResourceEnvelope {
  const checked = checkedBody(schema, body);
  const properties = objectField(checked.properties, 'properties') ?? {};
  const envelope: ResourceEnvelope = { properties };
  const location = stringField(checked.location, 'location');
  if (location !== undefined) envelope.location = location;
  if (checked.tags !== undefined && checked.tags !== null) envelope.tags = checked.tags as Record<string, string>;
  return envelope;
}

/** An optional object field; throws when present and not an object. */
export function objectField(value: unknown, target: string): JsonObject | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw badField(target, 'must be an object.');
  return value as JsonObject;
}

/** An optional string field; throws when present and not a non-empty string. */
export function stringField(value: unknown, target: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value.trim() === '') throw badField(target, 'must be a non-empty string.');
  return value;
}

/** A required string field. */
export function requiredString(value: unknown, target: string): string {
  const text = stringField(value, target);
  if (text === undefined) throw badField(target, 'is required.');
  return text;
}

/** An optional boolean field. */
export function booleanField(value: unknown, target: string): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw badField(target, 'must be true or false.');
  return value;
}

/** An optional array field whose items are objects. */
export function objectArrayField(value: unknown, target: string): JsonObject[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw badField(target, 'must be an array.');
  return value.map((item, i) => {
    const object = objectField(item, `${target}[${i}]`);
    if (!object) throw badField(`${target}[${i}]`, 'must be an object.');
    return object;
  });
}

/** An optional array of strings. */
export function stringArrayField(value: unknown, target: string): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw badField(target, 'must be an array of strings.');
  return value.map((item, i) => requiredString(item, `${target}[${i}]`));
}

/**
 * Checks a resource or child name as Azure's network provider does: up to `max` characters,
 * starting with a letter or digit, ending with one or `_`, with `.`, `-`, `_` in between.
 */
export function checkResourceName(name: string, max = 80): void {
  if (name.length > max || !/^[A-Za-z0-9](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?$/.test(name)) {
    throw networkRefusal(
      'InvalidResourceName',
      `Resource name ${name} is invalid. The name can be up to ${max} characters long. It must begin with a letter or digit, and it must end with a letter, digit or '_'. The name may contain letters, digits, '.', '-' and '_'.`,
    );
  }
}
