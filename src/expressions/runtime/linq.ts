/**
 * System.Linq.Enumerable over any enumerable runtime value. Sequences are evaluated eagerly
 * (results are arrays), each lambda call counts a step against the budget.
 */
import { raise } from '../errors.js';
import { addDecimal, divideDecimal, toDecimal } from './decimal.js';
import { DecimalValue, DictionaryValue, DoubleValue, HashSetValue, ListValue, numericKind, toNumber } from './values.js';
import { arithmetic, compare, objectEquals } from './operators.js';
import { toArray } from './sequence.js';
import { fnArg, intArg, noOverload, type MemberTable, type MethodImpl } from './member-table.js';
import { castTo, isInstance } from './convert.js';
import type { Runtime } from './budget.js';

/** IGrouping<K,T>: a list with a Key. */
export class GroupingValue extends ListValue {
  constructor(
    readonly key: unknown,
    items: unknown[],
  ) {
    super(items);
  }
}

/** The result of OrderBy, remembering its keys so ThenBy can refine the order. */
class OrderedArray extends Array<unknown> {
  sortKeys: Array<{ fn: (x: unknown) => unknown; desc: boolean }> = [];
}

function noElements(): never {
  return raise('System.InvalidOperationException', 'Sequence contains no elements');
}
function noMatch(): never {
  return raise('System.InvalidOperationException', 'Sequence contains no matching element');
}

function sortBy(items: unknown[], keys: OrderedArray["sortKeys"], rt: Runtime): OrderedArray {
  const decorated = items.map((item, index) => ({ item, index, k: keys.map((key) => key.fn(item)) }));
  rt.work(items.length * Math.max(1, Math.log2(items.length + 1)));
  decorated.sort((a, b) => {
    for (let i = 0; i < keys.length; i++) {
      const c = compare(a.k[i], b.k[i]);
      if (c !== 0) return keys[i]!.desc ? -c : c;
    }
    return a.index - b.index;
  });
  const out = new OrderedArray();
  for (const d of decorated) out.push(d.item);
  out.sortKeys = keys;
  return out;
}

function sum(values: unknown[], rt: Runtime): unknown {
  let acc: unknown = 0;
  let kind: string | undefined;
  for (const v of values) {
    if (v === null) continue;
    const k = numericKind(v);
    if (k === undefined) return raise('System.InvalidOperationException', 'Sum requires numeric elements.');
    if (kind === undefined) {
      kind = k;
      acc = k === 'long' ? 0n : k === 'double' ? new DoubleValue(0) : k === 'float' ? new DoubleValue(0, true) : k === 'decimal' ? new DecimalValue(0n) : 0;
    }
    acc = arithmetic('+', acc, v, true, rt);
  }
  return acc;
}

function average(values: unknown[]): unknown {
  const nums = values.filter((v) => v !== null);
  if (nums.length === 0) return noElements();
  if (nums[0] instanceof DecimalValue) {
    // Enumerable.Average over decimals sums exactly and divides in decimal.
    const exact = nums.reduce((a: DecimalValue, v) => addDecimal(a, toDecimal(v)), new DecimalValue(0n));
    return divideDecimal(exact, new DecimalValue(BigInt(nums.length)));
  }
  const total = nums.reduce((a: number, v) => a + toNumber(v), 0);
  return new DoubleValue(total / nums.length);
}

function extreme(values: unknown[], sign: number): unknown {
  const present = values.filter((v) => v !== null);
  if (present.length === 0) return values.length === 0 ? noElements() : null;
  let best = present[0];
  for (const v of present) if (compare(v, best) * sign > 0) best = v;
  return best;
}

function predicateOrAll(args: unknown[], rt: Runtime): (x: unknown) => boolean {
  if (args.length === 0) return () => true;
  const f = fnArg(args[0], rt);
  return (x) => f(x) === true;
}

function withIndex(f: (...a: unknown[]) => unknown, arity: number): (x: unknown, i: number) => unknown {
  return arity >= 2 ? (x, i) => f(x, i) : (x) => f(x);
}

function distinct(items: unknown[]): unknown[] {
  const out: unknown[] = [];
  for (const x of items) if (!out.some((y) => objectEquals(x, y))) out.push(x);
  return out;
}

const q = (name: string, impl: (items: unknown[], args: unknown[], rt: Runtime, site: Parameters<MethodImpl>[2]) => unknown): [string, MethodImpl] => [
  name,
  (self, args, site) => impl(toArray(self, site.rt), args, site.rt, site),
];

/** Methods: linq. */
export const linqMethods: MemberTable = {
  methods: Object.fromEntries([
    q('Where', (items, args, rt) => {
      const f = fnArg(args[0], rt);
      const g = withIndex(f, (args[0] as { arity: number }).arity);
      return items.filter((x, i) => g(x, i) === true);
    }),
    q('Select', (items, args, rt) => {
      const f = fnArg(args[0], rt);
      const g = withIndex(f, (args[0] as { arity: number }).arity);
      return items.map((x, i) => g(x, i));
    }),
    q('SelectMany', (items, args, rt) => {
      const f = fnArg(args[0], rt);
      const out: unknown[] = [];
      for (const x of items) {
        out.push(...toArray(f(x), rt));
        rt.checkSize(out.length);
      }
      return out;
    }),
    q('Any', (items, args, rt) => items.some(predicateOrAll(args, rt))),
    q('All', (items, args, rt) => items.every(predicateOrAll(args, rt))),
    q('Count', (items, args, rt) => items.filter(predicateOrAll(args, rt)).length),
    q('LongCount', (items, args, rt) => BigInt(items.filter(predicateOrAll(args, rt)).length)),
    q('First', (items, args, rt) => {
      const p = predicateOrAll(args, rt);
      for (const x of items) if (p(x)) return x;
      return args.length ? noMatch() : noElements();
    }),
    q('FirstOrDefault', (items, args, rt) => {
      const p = predicateOrAll(args, rt);
      for (const x of items) if (p(x)) return x;
      return null;
    }),
    q('Last', (items, args, rt) => {
      const p = predicateOrAll(args, rt);
      for (let i = items.length - 1; i >= 0; i--) if (p(items[i])) return items[i];
      return args.length ? noMatch() : noElements();
    }),
    q('LastOrDefault', (items, args, rt) => {
      const p = predicateOrAll(args, rt);
      for (let i = items.length - 1; i >= 0; i--) if (p(items[i])) return items[i];
      return null;
    }),
    q('Single', (items, args, rt) => {
      const m = items.filter(predicateOrAll(args, rt));
      if (m.length === 0) return args.length ? noMatch() : noElements();
      if (m.length > 1) raise('System.InvalidOperationException', args.length ? 'Sequence contains more than one matching element' : 'Sequence contains more than one element');
      return m[0];
    }),
    q('SingleOrDefault', (items, args, rt) => {
      const m = items.filter(predicateOrAll(args, rt));
      if (m.length > 1) raise('System.InvalidOperationException', args.length ? 'Sequence contains more than one matching element' : 'Sequence contains more than one element');
      return m[0] ?? null;
    }),
    q('ElementAt', (items, args) => {
      const i = intArg(args[0], 'index');
      if (i < 0 || i >= items.length) raise('System.ArgumentOutOfRangeException', "Index was out of range. Must be non-negative and less than the size of the collection. (Parameter 'index')");
      return items[i];
    }),
    q('ElementAtOrDefault', (items, args) => items[intArg(args[0], 'index')] ?? null),
    q('DefaultIfEmpty', (items, args) => (items.length ? items : [args.length ? args[0] : null])),
    q('Sum', (items, args, rt) => sum(args.length ? items.map(fnArg(args[0], rt)) : items, rt)),
    q('Average', (items, args, rt) => average(args.length ? items.map(fnArg(args[0], rt)) : items)),
    q('Min', (items, args, rt) => extreme(args.length ? items.map(fnArg(args[0], rt)) : items, -1)),
    q('Max', (items, args, rt) => extreme(args.length ? items.map(fnArg(args[0], rt)) : items, 1)),
    q('OrderBy', (items, args, rt) => sortBy(items, [{ fn: fnArg(args[0], rt), desc: false }], rt)),
    q('OrderByDescending', (items, args, rt) => sortBy(items, [{ fn: fnArg(args[0], rt), desc: true }], rt)),
    ['ThenBy', (self: unknown, args: unknown[], site) => {
      if (!(self instanceof OrderedArray)) return raise('System.InvalidOperationException', 'ThenBy requires an ordered sequence.');
      return sortBy([...self], [...self.sortKeys, { fn: fnArg(args[0], site.rt), desc: false }], site.rt);
    }],
    ['ThenByDescending', (self: unknown, args: unknown[], site) => {
      if (!(self instanceof OrderedArray)) return raise('System.InvalidOperationException', 'ThenByDescending requires an ordered sequence.');
      return sortBy([...self], [...self.sortKeys, { fn: fnArg(args[0], site.rt), desc: true }], site.rt);
    }],
    q('Reverse', (items) => items.reverse()),
    q('Distinct', (items) => distinct(items)),
    q('Skip', (items, args) => items.slice(Math.max(0, intArg(args[0], 'count')))),
    q('Take', (items, args) => items.slice(0, Math.max(0, intArg(args[0], 'count')))),
    q('SkipWhile', (items, args, rt) => {
      const p = predicateOrAll(args, rt);
      let i = 0;
      while (i < items.length && p(items[i])) i++;
      return items.slice(i);
    }),
    q('TakeWhile', (items, args, rt) => {
      const p = predicateOrAll(args, rt);
      let i = 0;
      while (i < items.length && p(items[i])) i++;
      return items.slice(0, i);
    }),
    q('Concat', (items, args, rt) => {
      const out = items.concat(toArray(args[0], rt));
      rt.checkSize(out.length);
      return out;
    }),
    q('Union', (items, args, rt) => distinct(items.concat(toArray(args[0], rt)))),
    q('Intersect', (items, args, rt) => {
      const other = toArray(args[0], rt);
      return distinct(items).filter((x) => other.some((y) => objectEquals(x, y)));
    }),
    q('Except', (items, args, rt) => {
      const other = toArray(args[0], rt);
      return distinct(items).filter((x) => !other.some((y) => objectEquals(x, y)));
    }),
    q('Contains', (items, args) => items.some((x) => objectEquals(x, args[0]))),
    q('SequenceEqual', (items, args, rt) => {
      const other = toArray(args[0], rt);
      return items.length === other.length && items.every((x, i) => objectEquals(x, other[i]));
    }),
    q('Zip', (items, args, rt) => {
      const other = toArray(args[0], rt);
      const f = fnArg(args[1], rt);
      const n = Math.min(items.length, other.length);
      return Array.from({ length: n }, (_, i) => f(items[i], other[i]));
    }),
    q('GroupBy', (items, args, rt) => {
      const keyFn = fnArg(args[0], rt);
      const valueFn = args.length > 1 ? fnArg(args[1], rt) : (x: unknown) => x;
      const groups: GroupingValue[] = [];
      for (const x of items) {
        const k = keyFn(x);
        let g = groups.find((gr) => objectEquals(gr.key, k));
        if (!g) {
          g = new GroupingValue(k, []);
          groups.push(g);
        }
        g.items.push(valueFn(x));
      }
      return groups;
    }),
    q('Aggregate', (items, args, rt) => {
      if (args.length === 1) {
        if (items.length === 0) return noElements();
        const f = fnArg(args[0], rt);
        let acc = items[0];
        for (let i = 1; i < items.length; i++) acc = f(acc, items[i]);
        return acc;
      }
      const f = fnArg(args[1], rt);
      let acc = args[0];
      for (const x of items) acc = f(acc, x);
      return args.length > 2 ? fnArg(args[2], rt)(acc) : acc;
    }),
    q('ToArray', (items) => items),
    q('AsEnumerable', (items) => items),
    q('ToList', (items) => new ListValue(items)),
    q('ToHashSet', (items) => {
      const set = new HashSetValue();
      for (const x of items) set.add(x);
      return set;
    }),
    q('ToDictionary', (items, args, rt) => {
      const keyFn = fnArg(args[0], rt);
      const valueFn = args.length > 1 && args[1] !== null && typeof args[1] === 'object' && 'invoke' in (args[1] as object) ? fnArg(args[1], rt) : (x: unknown) => x;
      const d = new DictionaryValue();
      for (const x of items) {
        const k = keyFn(x);
        if (k === null) raise('System.ArgumentNullException', "Value cannot be null. (Parameter 'key')");
        if (d.has(k)) raise('System.ArgumentException', `An item with the same key has already been added. Key: ${String(k)}`);
        d.set(k, valueFn(x));
      }
      return d;
    }),
    q('Cast', (items, _args, rt, site) => {
      const t = site.typeArgs[0];
      return t ? items.map((x) => castTo(x, t, true, false, rt)) : items;
    }),
    q('OfType', (items, _args, _rt, site) => {
      const t = site.typeArgs[0];
      return t ? items.filter((x) => isInstance(x, t)) : items;
    }),
  ]) as Record<string, MethodImpl>,
};

/** Enumerable.Range / Repeat / Empty. */
export const enumerableStatics: MemberTable = {
  methods: {
    Range(_: unknown, args, site) {
      const start = intArg(args[0], 'start');
      const count = intArg(args[1], 'count');
      if (count < 0) raise('System.ArgumentOutOfRangeException', "Specified argument was out of the range of valid values. (Parameter 'count')");
      site.rt.checkSize(count);
      site.rt.work(count);
      return Array.from({ length: count }, (_, i) => start + i);
    },
    Repeat(_: unknown, args, site) {
      const count = intArg(args[1], 'count');
      site.rt.checkSize(count);
      site.rt.work(count);
      return Array.from({ length: Math.max(0, count) }, () => args[0]);
    },
    Empty: () => [],
    ...Object.fromEntries(
      Object.entries(linqMethods.methods!).map(([name, impl]) => [name, (_: unknown, args: unknown[], site: Parameters<MethodImpl>[2]) => {
        if (args.length === 0) return noOverload(name, args);
        return impl(args[0], args.slice(1), site);
      }]),
    ),
  },
};
