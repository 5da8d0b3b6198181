/**
 * System.ValueTuple at run time: element access by `ItemN` or name, conversion to a declared
 * tuple type (element by element, taking the declared names), deconstruction, and the .NET
 * type name `System.ValueTuple`2[System.Int32,System.String]`.
 */
import { raise } from '../errors.js';
import { KeyValuePairValue, TupleValue, numericKind } from './values.js';
import { equals, objectEquals } from './operators.js';
import type { RtType } from './rt-type.js';
import { fullTypeName } from './type-names.js';

/** `t.Item2` / `t.code`; undefined when the tuple has no such element. */
export function tupleElement(t: TupleValue, name: string): { value: unknown } | undefined {
  const item = /^Item([1-9])$/.exec(name);
  if (item && Number(item[1]) <= t.items.length) return { value: t.items[Number(item[1]) - 1] };
  const at = t.names.indexOf(name);
  return at >= 0 ? { value: t.items[at] } : undefined;
}

/** A value stored as the tuple type `type`: each element converted by `convert`, the declared names taken. */
export function toTupleType(v: unknown, type: RtType, convert: (element: unknown, type: RtType) => unknown): TupleValue {
  if (!(v instanceof TupleValue) || v.items.length !== type.args.length) {
    return raise('System.InvalidCastException', `Unable to cast a value of type '${v === null ? 'null' : 'object'}' to a tuple of ${type.args.length} elements.`);
  }
  const items = v.items.map((x, i) => convert(x, type.args[i]!));
  return new TupleValue(items, type.tupleNames ?? [], type.args.map(rtFullName));
}

/** The elements `var (a, b) = value;` assigns: a tuple's, or a KeyValuePair's key and value. */
export function deconstruct(v: unknown, count: number): unknown[] {
  if (v instanceof TupleValue && v.items.length === count) return v.items;
  if (v instanceof KeyValuePairValue && count === 2) return [v.key, v.value];
  if (v instanceof TupleValue) return raise('System.InvalidOperationException', `Cannot deconstruct a tuple of '${v.items.length}' elements into '${count}' variables.`);
  return raise('System.InvalidOperationException', `Cannot deconstruct a value that is not a tuple into '${count}' variables.`);
}

/** The .NET full name of a resolved type, tuples included. */
export function rtFullName(t: RtType): string {
  if (t.tupleNames) return `System.ValueTuple\`${t.args.length}[${t.args.map(rtFullName).join(',')}]`;
  return fullTypeName(t.name);
}

/** Numeric kinds C# converts implicitly (from → to), for tuple conversions. */
const widening: Record<string, readonly string[]> = {
  int: ['long', 'float', 'double', 'decimal'], long: ['float', 'double', 'decimal'], float: ['double'],
};

/**
 * `t.Equals(other)`: ValueTuple's `Equals(ValueTuple<…> other)` is chosen when `other` converts
 * implicitly to the receiver's tuple type (each element widening to its counterpart), so
 * `(1, 2L).Equals((1, 2))` is true; otherwise `Equals(object)`, which needs the same element types.
 */
export function tupleEquals(t: TupleValue, other: unknown): boolean {
  if (!(other instanceof TupleValue) || other.items.length !== t.items.length) return false;
  const converts = other.items.every((x, i) => {
    const from = numericKind(x);
    const to = numericKind(t.items[i]);
    return from === undefined || to === undefined || from === to || (widening[from]?.includes(to) ?? false);
  });
  if (!converts) return objectEquals(t, other);
  return t.items.every((x, i) => {
    const y = other.items[i];
    return numericKind(x) !== undefined && numericKind(y) !== undefined ? equals(x, y) : objectEquals(x, y);
  });
}
