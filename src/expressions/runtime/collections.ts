/**
 * Arrays, List<T>, Dictionary<K,V>, HashSet<T>, KeyValuePair and IGrouping members, including
 * APIM's `GetValueOrDefault` on header/query dictionaries (values joined with commas).
 */
import { raise } from '../errors.js';
import { DictionaryValue, HashSetValue, KeyValuePairValue, ListValue, type OutSlot } from './values.js';
import { compare, objectEquals } from './operators.js';
import { display } from './display.js';
import { fnArg, intArg, isOutSlot, noOverload, type MemberTable } from './member-table.js';
import { toArray } from './sequence.js';
import { GroupingValue } from './linq.js';
import type { Runtime } from './budget.js';

/** IndexOutOfRangeException as .NET raises it for arrays and strings. */
export function indexOutOfRange(): never {
  return raise('System.IndexOutOfRangeException', 'Index was outside the bounds of the array.');
}

/** ArgumentOutOfRangeException for list indexes. */
export function argumentOutOfRange(): never {
  return raise('System.ArgumentOutOfRangeException', "Index was out of range. Must be non-negative and less than the size of the collection. (Parameter 'index')");
}

/** KeyNotFoundException naming the key (.NET Core wording). */
export function keyNotFound(key: unknown): never {
  return raise('System.Collections.Generic.KeyNotFoundException', `The given key '${display(key)}' was not present in the dictionary.`);
}

function readOnly(): never {
  return raise('System.NotSupportedException', 'Collection is read-only.');
}

/** Instance members: array. */
export const arrayMembers: MemberTable = {
  props: {
    Length: (a: unknown[] | Uint8Array) => a.length,
    LongLength: (a: unknown[] | Uint8Array) => BigInt(a.length),
    Rank: () => 1,
  },
  methods: {
    Clone: (a: unknown[] | Uint8Array) => a.slice(),
    GetValue: (a: unknown[], args) => {
      const i = intArg(args[0], 'index');
      if (i < 0 || i >= a.length) indexOutOfRange();
      return a[i];
    },
  },
};

function listAdd(list: ListValue, v: unknown, rt: Runtime): void {
  rt.checkSize(list.items.length + 1);
  list.items.push(v);
}

/** Instance members: list. */
export const listMembers: MemberTable = {
  props: {
    Count: (l: ListValue) => l.items.length,
    Capacity: (l: ListValue) => l.items.length,
  },
  methods: {
    Add: (l: ListValue, args, site) => {
      listAdd(l, args[0], site.rt);
    },
    AddRange: (l: ListValue, args, site) => {
      const more = toArray(args[0], site.rt);
      site.rt.checkSize(l.items.length + more.length);
      l.items.push(...more);
    },
    Insert: (l: ListValue, args, site) => {
      const i = intArg(args[0], 'index');
      if (i < 0 || i > l.items.length) argumentOutOfRange();
      site.rt.checkSize(l.items.length + 1);
      l.items.splice(i, 0, args[1]);
    },
    Remove: (l: ListValue, args) => {
      const i = l.items.findIndex((x) => objectEquals(x, args[0]));
      if (i === -1) return false;
      l.items.splice(i, 1);
      return true;
    },
    RemoveAt: (l: ListValue, args) => {
      const i = intArg(args[0], 'index');
      if (i < 0 || i >= l.items.length) argumentOutOfRange();
      l.items.splice(i, 1);
    },
    RemoveAll: (l: ListValue, args, site) => {
      const f = fnArg(args[0], site.rt);
      const before = l.items.length;
      const kept = l.items.filter((x) => f(x) !== true);
      l.items.length = 0;
      l.items.push(...kept);
      return before - kept.length;
    },
    Clear: (l: ListValue) => {
      l.items.length = 0;
    },
    Contains: (l: ListValue, args) => l.items.some((x) => objectEquals(x, args[0])),
    IndexOf: (l: ListValue, args) => l.items.findIndex((x) => objectEquals(x, args[0])),
    Find: (l: ListValue, args, site) => {
      const f = fnArg(args[0], site.rt);
      return l.items.find((x) => f(x) === true) ?? null;
    },
    FindAll: (l: ListValue, args, site) => {
      const f = fnArg(args[0], site.rt);
      return new ListValue(l.items.filter((x) => f(x) === true), l.elementType);
    },
    FindIndex: (l: ListValue, args, site) => {
      const f = fnArg(args[0], site.rt);
      return l.items.findIndex((x) => f(x) === true);
    },
    Exists: (l: ListValue, args, site) => {
      const f = fnArg(args[0], site.rt);
      return l.items.some((x) => f(x) === true);
    },
    TrueForAll: (l: ListValue, args, site) => {
      const f = fnArg(args[0], site.rt);
      return l.items.every((x) => f(x) === true);
    },
    ForEach: (l: ListValue, args, site) => {
      const f = fnArg(args[0], site.rt);
      for (const x of l.items.slice()) f(x);
    },
    Sort: (l: ListValue, args, site) => {
      site.rt.work(l.items.length * 16);
      if (args.length === 0) l.items.sort(compare);
      else {
        const f = fnArg(args[0], site.rt);
        l.items.sort((a, b) => Number(f(a, b)));
      }
    },
    Reverse: (l: ListValue) => {
      l.items.reverse();
    },
    ToArray: (l: ListValue) => l.items.slice(),
    GetRange: (l: ListValue, args) => {
      const i = intArg(args[0], 'index');
      const n = intArg(args[1], 'count');
      if (i < 0 || n < 0 || i + n > l.items.length) raise('System.ArgumentException', 'Offset and length were out of bounds for the array or count is greater than the number of elements from index to the end of the source collection.');
      return new ListValue(l.items.slice(i, i + n), l.elementType);
    },
  },
};

/** `dict.GetValueOrDefault(key[, default])`; header-like values (string[]) are comma-joined. */
function getValueOrDefault(d: DictionaryValue, args: unknown[]): unknown {
  if (args.length === 0 || args.length > 2) return noOverload('GetValueOrDefault', args);
  if (args[0] === null) return raise('System.ArgumentNullException', "Value cannot be null. (Parameter 'key')");
  const entry = d.get(args[0]);
  if (!entry) return args.length > 1 ? args[1] : null;
  if (Array.isArray(entry.value) && d.readOnly) return entry.value.map(display).join(',');
  return entry.value;
}

/** Instance members: dictionary. */
export const dictionaryMembers: MemberTable = {
  props: {
    Count: (d: DictionaryValue) => d.size,
    Keys: (d: DictionaryValue) => [...d.map.values()].map((e) => e.key),
    Values: (d: DictionaryValue) => [...d.map.values()].map((e) => e.value),
  },
  methods: {
    ContainsKey: (d: DictionaryValue, args) => {
      if (args[0] === null) return raise('System.ArgumentNullException', "Value cannot be null. (Parameter 'key')");
      return d.has(args[0]);
    },
    ContainsValue: (d: DictionaryValue, args) => [...d.map.values()].some((e) => objectEquals(e.value, args[0])),
    GetValueOrDefault: (d: DictionaryValue, args) => getValueOrDefault(d, args),
    TryGetValue: (d: DictionaryValue, args) => {
      const slot = args[1];
      if (!isOutSlot(slot)) return noOverload('TryGetValue', args);
      const entry = args[0] === null ? undefined : d.get(args[0]);
      (slot as OutSlot).set(entry ? entry.value : null);
      return entry !== undefined;
    },
    Add: (d: DictionaryValue, args, site) => {
      if (d.readOnly) readOnly();
      if (args[0] === null) return raise('System.ArgumentNullException', "Value cannot be null. (Parameter 'key')");
      if (d.has(args[0])) raise('System.ArgumentException', `An item with the same key has already been added. Key: ${display(args[0])}`);
      site.rt.checkSize(d.size + 1);
      d.set(args[0], args[1]);
    },
    TryAdd: (d: DictionaryValue, args, site) => {
      if (d.readOnly) readOnly();
      if (d.has(args[0])) return false;
      site.rt.checkSize(d.size + 1);
      d.set(args[0], args[1]);
      return true;
    },
    Remove: (d: DictionaryValue, args) => {
      if (d.readOnly) readOnly();
      return d.delete(args[0]);
    },
    Clear: (d: DictionaryValue) => {
      if (d.readOnly) readOnly();
      d.map.clear();
    },
  },
};

/** Instance members: hash set. */
export const hashSetMembers: MemberTable = {
  props: { Count: (s: HashSetValue) => s.map.size },
  methods: {
    Add: (s: HashSetValue, args, site) => {
      site.rt.checkSize(s.map.size + 1);
      return s.add(args[0]);
    },
    Contains: (s: HashSetValue, args) => [...s.map.values()].some((x) => objectEquals(x, args[0])) || s.map.has(args[0]),
    Remove: (s: HashSetValue, args) => {
      for (const [k, v] of s.map) if (objectEquals(v, args[0])) return s.map.delete(k);
      return false;
    },
    Clear: (s: HashSetValue) => {
      s.map.clear();
    },
  },
};

/** Instance members: key value pair. */
export const keyValuePairMembers: MemberTable = {
  props: {
    Key: (p: KeyValuePairValue) => p.key,
    Value: (p: KeyValuePairValue) => p.value,
  },
};

/** Instance members: grouping. */
export const groupingMembers: MemberTable = {
  props: {
    Key: (g: GroupingValue) => g.key,
    Count: (g: GroupingValue) => g.items.length,
  },
};

/** Reads `target[index]` for arrays, lists and dictionaries. */
export function indexCollection(target: unknown, index: unknown): { found: boolean; value?: unknown } {
  if (Array.isArray(target) || target instanceof Uint8Array) {
    if (typeof index !== 'number' && typeof index !== 'bigint') return { found: false };
    const i = Number(index);
    if (i < 0 || i >= target.length || !Number.isInteger(i)) indexOutOfRange();
    return { found: true, value: target[i] };
  }
  if (target instanceof ListValue) {
    if (typeof index !== 'number') return { found: false };
    if (index < 0 || index >= target.items.length) argumentOutOfRange();
    return { found: true, value: target.items[index] };
  }
  if (target instanceof DictionaryValue) {
    if (index === null) return raise('System.ArgumentNullException', "Value cannot be null. (Parameter 'key')");
    const e = target.get(index);
    if (!e) keyNotFound(index);
    return { found: true, value: e.value };
  }
  return { found: false };
}

/** Writes `target[index] = value` for arrays, lists and dictionaries. */
export function assignCollection(target: unknown, index: unknown, value: unknown, rt: Runtime): boolean {
  if (Array.isArray(target)) {
    const i = Number(index);
    if (i < 0 || i >= target.length) indexOutOfRange();
    target[i] = value;
    return true;
  }
  if (target instanceof Uint8Array) {
    const i = Number(index);
    if (i < 0 || i >= target.length) indexOutOfRange();
    target[i] = Number(value);
    return true;
  }
  if (target instanceof ListValue) {
    const i = Number(index);
    if (i < 0 || i >= target.items.length) argumentOutOfRange();
    target.items[i] = value;
    return true;
  }
  if (target instanceof DictionaryValue) {
    if (target.readOnly) readOnly();
    if (index === null) return raise('System.ArgumentNullException', "Value cannot be null. (Parameter 'key')");
    if (!target.has(index)) rt.checkSize(target.size + 1);
    target.set(index, value);
    return true;
  }
  return false;
}
