/**
 * Typed reads of one JSON object from a configuration file. Every wrong type names the file and
 * the property path; `null` counts as absent, as ARM exports write it for unset properties.
 * Properties are read as the object's own only: a file cannot reach `constructor` or `toString`
 * through the prototype, and a `__proto__` key is refused (src/management/arm/prototype-keys.ts).
 */
import { ownValue, prototypeKey } from '../arm/prototype-keys.js';
import { ConfigFolderError } from './config-folder-error.js';

/** One JSON object of a file, read property by property with type checks. */
export class JsonFields {
  constructor(
    /** The file the object came from, relative to the configuration folder. */
    readonly file: string,
    private readonly values: Record<string, unknown>,
    /** The property path of this object inside the file, e.g. `properties`. */
    readonly path: string,
  ) {}

  /** Wraps a parsed JSON value that must be an object. */
  static of(file: string, value: unknown, path: string): JsonFields {
    if (!isRecord(value)) throw new ConfigFolderError(file, `${path || 'the document'} must be a JSON object`);
    return new JsonFields(file, value, path);
  }

  /** Throws a ConfigFolderError about one property. */
  fail(key: string, reason: string): never {
    throw new ConfigFolderError(this.file, `property '${this.at(key)}' ${reason}`);
  }

  /** The full property path of a key, for messages. */
  at(key: string): string {
    return this.path ? `${this.path}.${key}` : key;
  }

  /** Whether the key is present and not null. */
  has(key: string): boolean {
    return this.get(key) !== undefined && this.get(key) !== null;
  }

  /** The raw value (null kept), for properties whose null has a meaning. */
  raw(key: string): unknown {
    return this.get(key);
  }

  /** The object's own value under `key`. */
  private get(key: string): unknown {
    return ownValue(this.values, key);
  }

  /** The keys present in the object. */
  keys(): string[] {
    return Object.keys(this.values);
  }

  /** An optional string. */
  string(key: string): string | undefined {
    const v = this.get(key);
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') this.fail(key, `must be a string, found ${typeName(v)}`);
    return v;
  }

  /** A string that must be present (an empty string is allowed unless `nonEmpty`). */
  requiredString(key: string, nonEmpty = false): string {
    const v = this.string(key);
    if (v === undefined) this.fail(key, 'is required');
    if (nonEmpty && v.trim() === '') this.fail(key, 'must not be empty');
    return v;
  }

  /** An optional boolean. */
  boolean(key: string): boolean | undefined {
    const v = this.get(key);
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'boolean') this.fail(key, `must be true or false, found ${typeName(v)}`);
    return v;
  }

  /** An optional integer (JSON number without fraction). */
  integer(key: string): number | undefined {
    const v = this.get(key);
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v)) this.fail(key, `must be an integer, found ${typeName(v)}`);
    return v;
  }

  /** An optional array of strings. */
  stringArray(key: string): string[] | undefined {
    const v = this.get(key);
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) this.fail(key, 'must be an array of strings');
    return v as string[];
  }

  /** An optional value from a fixed set, matched case-insensitively as ARM does, returned in canonical case. */
  enumValue<T extends string>(key: string, allowed: readonly T[]): T | undefined {
    const v = this.string(key);
    if (v === undefined) return undefined;
    const match = allowed.find((a) => a.toLowerCase() === v.toLowerCase());
    if (!match) this.fail(key, `must be one of ${allowed.join(', ')}, found '${v}'`);
    return match;
  }

  /** An optional nested object. */
  object(key: string): JsonFields | undefined {
    const v = this.get(key);
    if (v === undefined || v === null) return undefined;
    if (!isRecord(v)) this.fail(key, `must be an object, found ${typeName(v)}`);
    return new JsonFields(this.file, v, this.at(key));
  }

  /** An optional array of objects. */
  objectArray(key: string): JsonFields[] | undefined {
    const v = this.get(key);
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v)) this.fail(key, `must be an array, found ${typeName(v)}`);
    return v.map((item, i) => {
      if (!isRecord(item)) this.fail(`${key}[${i}]`, `must be an object, found ${typeName(item)}`);
      return new JsonFields(this.file, item, `${this.at(key)}[${i}]`);
    });
  }

  /** An optional object whose values are arrays of strings (backend credential headers/query). */
  stringListRecord(key: string): Record<string, string[]> | undefined {
    const o = this.object(key);
    if (!o) return undefined;
    const out: Record<string, string[]> = {};
    for (const k of o.keys()) {
      if (k === prototypeKey) o.fail(k, 'is not allowed as a name');
      const list = o.stringArray(k);
      if (list) out[k] = list;
    }
    return out;
  }
}

/** Whether a value is a plain JSON object. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${JSON.stringify(v)}`;
}
