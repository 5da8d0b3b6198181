/**
 * The runtime value model: how .NET values are held in JavaScript.
 *   int (and byte/short/ushort) → number (always an int32); long (and uint/ulong) → bigint;
 *   double/float → DoubleValue; decimal → DecimalValue; char → CharValue; string → string;
 *   bool → boolean; null → null; T[] → JS array (byte[] → Uint8Array); List<T> → ListValue;
 *   Dictionary<K,V> → DictionaryValue; DateTime/TimeSpan/DateTimeOffset → datetime.ts;
 *   JToken family → json.ts. Keeping int a plain number makes the common case cheap while
 *   `5 / 2` and `5.0 / 2` still differ as in C#.
 */

/** A System.Double (or System.Single when `single`). */
export class DoubleValue {
  constructor(
    readonly v: number,
    readonly single = false,
  ) {}
}

import { DecimalValue, normalizeDecimal } from './decimal.js';
export { DecimalValue };

/** A System.Char (UTF-16 code unit). */
export class CharValue {
  constructor(readonly code: number) {}
  toString(): string {
    return String.fromCharCode(this.code);
  }
}

/** A System.Guid. */
export class GuidValue {
  /** Lower-case 32 hex digits without dashes. */
  constructor(readonly hex: string) {}
  format(spec = 'D'): string {
    const h = this.hex;
    const d = `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
    switch (spec.toUpperCase()) {
      case 'N': return h;
      case 'B': return `{${d}}`;
      case 'P': return `(${d})`;
      default: return d;
    }
  }
  toString(): string {
    return this.format('D');
  }
}

/** A value of an allowed enum type (StringComparison, RegexOptions …). */
export class EnumValue {
  constructor(
    readonly type: string,
    readonly name: string,
    readonly value: number,
  ) {}
  toString(): string {
    return this.name;
  }
}

/** System.Collections.Generic.List<T>. */
export class ListValue {
  constructor(
    readonly items: unknown[] = [],
    readonly elementType = 'object',
  ) {}
}

/** A key of a dictionary or set, normalised so equal .NET values map to one JS key. */
export function keyOf(value: unknown, ignoreCase: boolean): unknown {
  if (typeof value === 'string') return ignoreCase ? 's:' + value.toLowerCase() : 's:' + value;
  if (typeof value === 'number') return 'i:' + value;
  if (typeof value === 'bigint') return 'l:' + value;
  if (value instanceof CharValue) return 'c:' + value.code;
  if (value instanceof DoubleValue) return 'd:' + value.v;
  if (value instanceof DecimalValue) return 'm:' + normalizeDecimal(value).toString();
  if (value instanceof GuidValue) return 'g:' + value.hex;
  if (value instanceof EnumValue) return 'e:' + value.type + value.value;
  if (value !== null && typeof value === 'object' && 'valueKey' in value) return (value as { valueKey(): string }).valueKey();
  return value;
}

/** System.Collections.Generic.Dictionary<K,V> (insertion-ordered, like .NET without removals). */
export class DictionaryValue {
  readonly map = new Map<unknown, { key: unknown; value: unknown }>();
  constructor(
    readonly ignoreCase = false,
    readonly readOnly = false,
    readonly typeArgs: readonly string[] = ['string', 'object'],
  ) {}
  get(key: unknown): { key: unknown; value: unknown } | undefined {
    return this.map.get(keyOf(key, this.ignoreCase));
  }
  set(key: unknown, value: unknown): void {
    const k = keyOf(key, this.ignoreCase);
    const existing = this.map.get(k);
    if (existing) existing.value = value;
    else this.map.set(k, { key, value });
  }
  has(key: unknown): boolean {
    return this.map.has(keyOf(key, this.ignoreCase));
  }
  delete(key: unknown): boolean {
    return this.map.delete(keyOf(key, this.ignoreCase));
  }
  get size(): number {
    return this.map.size;
  }
}

/** System.Collections.Generic.HashSet<T>. */
export class HashSetValue {
  readonly map = new Map<unknown, unknown>();
  constructor(readonly ignoreCase = false) {}
  add(value: unknown): boolean {
    const k = keyOf(value, this.ignoreCase);
    if (this.map.has(k)) return false;
    this.map.set(k, value);
    return true;
  }
}

/** KeyValuePair<K,V>. */
export class KeyValuePairValue {
  constructor(
    readonly key: unknown,
    readonly value: unknown,
  ) {}
}

/** An anonymous object `new { a = 1 }` (serialisable with JsonConvert / JObject.FromObject). */
export class AnonymousObject {
  constructor(readonly fields: Map<string, unknown>) {}
}

/**
 * A System.ValueTuple (`(1, "a")`, `(code: 200, text: "OK")`). Element names exist only for the
 * compiler in C#; here they travel with the value so `t.code` and LINQ projections resolve them.
 * `types` holds the declared element types' .NET names when a declaration gave them.
 */
export class TupleValue {
  constructor(
    readonly items: unknown[],
    readonly names: ReadonlyArray<string | undefined> = [],
    readonly types?: readonly string[],
  ) {}
}

/** A lambda, callable by LINQ and other delegate-taking members. */
export class LambdaValue {
  constructor(
    readonly arity: number,
    readonly invoke: (args: unknown[]) => unknown,
  ) {}
}

/** `typeof(T)` and static type references used as values (e.g. `Formatting.Indented`'s owner). */
export class TypeValue {
  constructor(readonly name: string) {}
  toString(): string {
    return this.name;
  }
}

/** A mutable cell for `out` arguments. */
export interface OutSlot {
  set(value: unknown): void;
}

/** The System.Text.StringBuilder. */
export class StringBuilderValue {
  parts: string[] = [];
  length = 0;
  toString(): string {
    const s = this.parts.join('');
    this.parts = [s];
    return s;
  }
}

/** Numeric kind of a value after C#'s unary promotion (char → int), or undefined. */
export function numericKind(v: unknown): 'int' | 'long' | 'double' | 'float' | 'decimal' | undefined {
  if (typeof v === 'number') return 'int';
  if (typeof v === 'bigint') return 'long';
  if (v instanceof DoubleValue) return v.single ? 'float' : 'double';
  if (v instanceof DecimalValue) return 'decimal';
  if (v instanceof CharValue) return 'int';
  return undefined;
}

/** The JS number of any numeric value (int, long, double, decimal, char). */
export function toNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof DoubleValue || v instanceof DecimalValue) return v.v;
  if (v instanceof CharValue) return v.code;
  return NaN;
}

/** A .NET double. */
export function dbl(v: number): DoubleValue {
  return new DoubleValue(v);
}
