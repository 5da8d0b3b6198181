/**
 * Reading Microsoft.Network request bodies at the edge (DESIGN.md "Validate every input"): the
 * envelope (`location`, `tags`, `properties`), typed fields, resource names, and which keys a
 * `properties` object may hold. A client that PUTs back what GET returned is accepted: read-only
 * keys are ignored, and keys Gatehouse renders with a fixed value (`enableDdosProtection: false`)
 * are accepted with that value; any other key is refused rather than silently dropped.
 */
import { badField, networkRefusal } from './network-errors.js';

/** A JSON object from a request body. */
export type JsonObject = Record<string, unknown>;

/** The envelope of a top-level network resource PUT. */
export interface ResourceEnvelope {
  location?: string;
  tags?: Record<string, string>;
  properties: JsonObject;
}

/** Which keys an object may hold. */
export interface KeyAllowance {
  writable: readonly string[];
  /** Accepted with any value and ignored (what GET renders as read-only). */
  readOnly?: readonly string[];
  /** Accepted only with exactly this value (behaviour Gatehouse has and cannot change). */
  fixed?: Readonly<Record<string, unknown>>;
}

const envelopeKeys: KeyAllowance = { writable: ['location', 'tags', 'properties'], readOnly: ['id', 'name', 'type', 'etag'] };

/** Checks a top-level PUT body and returns its envelope; throws ArmError 400. */
export function readEnvelope(body: JsonObject | undefined): ResourceEnvelope {
  if (body === undefined) throw badField('properties', 'is required: the request has no body.');
  checkKeys(body, '', envelopeKeys);
  const properties = objectField(body.properties, 'properties') ?? {};
  const envelope: ResourceEnvelope = { properties };
  const location = stringField(body.location, 'location');
  if (location !== undefined) envelope.location = location;
  if (body.tags !== undefined) envelope.tags = readTags(body.tags);
  return envelope;
}

/** Refuses keys the allowance does not name, and fixed keys with another value. */
export function checkKeys(value: JsonObject, target: string, allowance: KeyAllowance): void {
  for (const [key, given] of Object.entries(value)) {
    const path = target === '' ? key : `${target}.${key}`;
    if (allowance.writable.includes(key) || allowance.readOnly?.includes(key)) continue;
    const fixed = allowance.fixed;
    if (fixed && Object.hasOwn(fixed, key)) {
      if (given !== undefined && given !== null && JSON.stringify(given) !== JSON.stringify(fixed[key])) {
        throw networkRefusal('UnsupportedProperty', `'${path}' can only be ${JSON.stringify(fixed[key])} in Gatehouse.`);
      }
      continue;
    }
    throw badField(path, 'is not a property Gatehouse supports.');
  }
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

function readTags(value: unknown): Record<string, string> {
  const tags = objectField(value, 'tags');
  if (!tags) throw badField('tags', 'must be an object.');
  for (const [key, tag] of Object.entries(tags)) if (typeof tag !== 'string') throw badField(`tags.${key}`, 'must be a string.');
  return tags as Record<string, string>;
}
