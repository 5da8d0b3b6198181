/**
 * C# operators on runtime values: numeric promotion (int → long → float → double; decimal with
 * integers), int/long wrap-around unless checked, integer division truncation, string
 * concatenation, value equality for value types and strings, DateTime/TimeSpan arithmetic.
 */
import { raise } from '../errors.js';
import { CharValue, DecimalValue, DoubleValue, EnumValue, GuidValue, TupleValue, numericKind, toNumber } from './values.js';
import { DateTimeOffsetValue, DateTimeValue, TimeSpanValue } from './datetime.js';
import { display, typeNameOf } from './display.js';
import type { Runtime } from './budget.js';
import { XNamespaceValue, XNameValue } from './xml-linq.js';
import { addDecimal, compareDecimal, divideDecimal, multiplyDecimal, negateDecimal, remainderDecimal, subtractDecimal, toDecimal } from './decimal.js';

type Kind = 'int' | 'long' | 'float' | 'double' | 'decimal';

const rank: Record<Kind, number> = { int: 0, long: 1, float: 2, double: 3, decimal: 4 };

function overflow(): never {
  return raise('System.OverflowException', 'Arithmetic operation resulted in an overflow.');
}

function divideByZero(): never {
  return raise('System.DivideByZeroException', 'Attempted to divide by zero.');
}

function badOperands(op: string, a: unknown, b: unknown): never {
  return raise('System.InvalidOperationException', `Operator '${op}' cannot be applied to operands of type '${typeNameOf(a)}' and '${typeNameOf(b)}'.`);
}

function promote(a: Kind, b: Kind, op: string, x: unknown, y: unknown): Kind {
  if ((a === 'decimal' && (b === 'float' || b === 'double')) || (b === 'decimal' && (a === 'float' || a === 'double'))) badOperands(op, x, y);
  return rank[a] >= rank[b] ? a : b;
}

function asBig(v: unknown): bigint {
  if (typeof v === 'bigint') return v;
  if (v instanceof CharValue) return BigInt(v.code);
  return BigInt(v as number);
}

function int32(v: number): number {
  return v | 0;
}

/** Applies an arithmetic operator (+ - * / %) after promotion. */
export function arithmetic(op: string, a: unknown, b: unknown, checked: boolean, rt: Runtime): unknown {
  if (op === '+' && a instanceof XNamespaceValue && typeof b === 'string') return a.combineName(b);
  if (op === '+' && (typeof a === 'string' || typeof b === 'string')) {
    const sa = display(a);
    const sb = display(b);
    rt.checkLength(sa.length + sb.length);
    return sa + sb;
  }
  const ka = numericKind(a);
  const kb = numericKind(b);
  if (ka === undefined || kb === undefined) return temporal(op, a, b);
  const k = promote(ka, kb, op, a, b);
  switch (k) {
    case 'int': {
      const x = toNumber(a);
      const y = toNumber(b);
      switch (op) {
        case '+': { const r = x + y; if (checked && r !== int32(r)) overflow(); return int32(r); }
        case '-': { const r = x - y; if (checked && r !== int32(r)) overflow(); return int32(r); }
        case '*': {
          if (checked) { const r = x * y; if (!Number.isSafeInteger(r) || r !== int32(r)) overflow(); }
          return Math.imul(x, y);
        }
        case '/':
          if (y === 0) divideByZero();
          if (x === -2147483648 && y === -1) overflow();
          return int32(Math.trunc(x / y));
        case '%':
          if (y === 0) divideByZero();
          if (y === -1) return 0;
          return int32(x % y);
      }
      break;
    }
    case 'long': {
      const x = asBig(a);
      const y = asBig(b);
      let r: bigint;
      switch (op) {
        case '+': r = x + y; break;
        case '-': r = x - y; break;
        case '*': r = x * y; break;
        case '/':
          if (y === 0n) divideByZero();
          if (x === -9223372036854775808n && y === -1n) overflow();
          r = x / y;
          break;
        case '%':
          if (y === 0n) divideByZero();
          r = y === -1n ? 0n : x % y;
          break;
        default: return badOperands(op, a, b);
      }
      const wrapped = BigInt.asIntN(64, r);
      if (checked && wrapped !== r) overflow();
      return wrapped;
    }
    case 'float': case 'double': {
      const x = toNumber(a);
      const y = toNumber(b);
      let r: number;
      switch (op) {
        case '+': r = x + y; break;
        case '-': r = x - y; break;
        case '*': r = x * y; break;
        case '/': r = x / y; break;
        case '%': r = x % y; break;
        default: return badOperands(op, a, b);
      }
      return k === 'float' ? new DoubleValue(Math.fround(r), true) : new DoubleValue(r);
    }
    case 'decimal': {
      const x = toDecimal(a);
      const y = toDecimal(b);
      switch (op) {
        case '+': return addDecimal(x, y);
        case '-': return subtractDecimal(x, y);
        case '*': return multiplyDecimal(x, y);
        case '/': return divideDecimal(x, y);
        case '%': return remainderDecimal(x, y);
        default: return badOperands(op, a, b);
      }
    }
  }
  return badOperands(op, a, b);
}

/** DateTime/DateTimeOffset/TimeSpan + and -. */
function temporal(op: string, a: unknown, b: unknown): unknown {
  if (a instanceof DateTimeValue && b instanceof TimeSpanValue) {
    return new DateTimeValue(op === '+' ? a.ticks + b.ticks : op === '-' ? a.ticks - b.ticks : badOperands(op, a, b), a.kind);
  }
  if (a instanceof DateTimeOffsetValue && b instanceof TimeSpanValue) {
    return new DateTimeOffsetValue(op === '+' ? a.ticks + b.ticks : op === '-' ? a.ticks - b.ticks : badOperands(op, a, b), a.offsetMinutes);
  }
  if (a instanceof DateTimeValue && b instanceof DateTimeValue && op === '-') return new TimeSpanValue(a.ticks - b.ticks);
  if (a instanceof DateTimeOffsetValue && b instanceof DateTimeOffsetValue && op === '-') return new TimeSpanValue(a.utcTicks - b.utcTicks);
  if (a instanceof TimeSpanValue && b instanceof TimeSpanValue && (op === '+' || op === '-')) {
    return new TimeSpanValue(op === '+' ? a.ticks + b.ticks : a.ticks - b.ticks);
  }
  if (a === null || b === null) return null; // lifted operators on nullables
  return badOperands(op, a, b);
}

/** Unary minus, plus and bitwise complement. */
export function unaryOp(op: string, v: unknown, checked: boolean): unknown {
  if (v === null) return null;
  const k = numericKind(v);
  if (op === '~') {
    if (k === 'int') return ~toNumber(v);
    if (k === 'long') return BigInt.asIntN(64, ~(v as bigint));
    return raise('System.InvalidOperationException', `Operator '~' cannot be applied to operand of type '${typeNameOf(v)}'.`);
  }
  if (op === '!') {
    if (typeof v === 'boolean') return !v;
    return raise('System.InvalidOperationException', `Operator '!' cannot be applied to operand of type '${typeNameOf(v)}'.`);
  }
  if (v instanceof TimeSpanValue) return op === '-' ? new TimeSpanValue(-v.ticks) : v;
  switch (k) {
    case 'int': {
      const n = toNumber(v);
      if (op === '+') return n;
      if (checked && n === -2147483648) overflow();
      return int32(-n);
    }
    case 'long': {
      const n = v as bigint;
      if (op === '+') return n;
      if (checked && n === -9223372036854775808n) overflow();
      return BigInt.asIntN(64, -n);
    }
    case 'float': case 'double':
      return op === '+' ? v : new DoubleValue(-(v as DoubleValue).v, (v as DoubleValue).single);
    case 'decimal':
      return op === '+' ? v : negateDecimal(v as DecimalValue);
  }
  return raise('System.InvalidOperationException', `Operator '${op}' cannot be applied to operand of type '${typeNameOf(v)}'.`);
}

/** Bitwise/logical & | ^ and shifts. */
export function bitwise(op: string, a: unknown, b: unknown): unknown {
  if (typeof a === 'boolean' && typeof b === 'boolean') {
    if (op === '&') return a && b;
    if (op === '|') return a || b;
    if (op === '^') return a !== b;
  }
  if (a instanceof EnumValue && b instanceof EnumValue && a.type === b.type) {
    const n = op === '&' ? a.value & b.value : op === '|' ? a.value | b.value : a.value ^ b.value;
    return new EnumValue(a.type, n === a.value ? a.name : n === b.value ? b.name : String(n), n);
  }
  const ka = numericKind(a);
  const kb = numericKind(b);
  if ((ka !== 'int' && ka !== 'long') || (kb !== 'int' && kb !== 'long')) return badOperands(op, a, b);
  if (op === '<<' || op === '>>') {
    const count = toNumber(b);
    if (ka === 'int') {
      const x = toNumber(a);
      return op === '<<' ? x << (count & 31) : x >> (count & 31);
    }
    const x = a as bigint;
    const c = BigInt(count & 63);
    return op === '<<' ? BigInt.asIntN(64, x << c) : x >> c;
  }
  if (ka === 'int' && kb === 'int') {
    const x = toNumber(a);
    const y = toNumber(b);
    return op === '&' ? x & y : op === '|' ? x | y : x ^ y;
  }
  const x = asBig(a);
  const y = asBig(b);
  return BigInt.asIntN(64, op === '&' ? x & y : op === '|' ? x | y : x ^ y);
}

/** A decimal with a decimal or an integer compares exactly (no double rounding). */
function exactDecimalPair(ka: Kind | undefined, kb: Kind | undefined): boolean {
  return (ka === 'decimal' && kb !== 'double' && kb !== 'float') || (kb === 'decimal' && ka !== 'double' && ka !== 'float');
}

/** C# `==` on runtime values: numeric and value-type equality, string value equality, else reference. */
export function equals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || a === undefined || b === null || b === undefined) return (a ?? null) === (b ?? null);
  const ka = numericKind(a);
  const kb = numericKind(b);
  if (ka !== undefined && kb !== undefined) {
    if (exactDecimalPair(ka, kb)) return compareDecimal(toDecimal(a), toDecimal(b)) === 0;
    if (ka === 'long' || kb === 'long') {
      if ((ka === 'int' || ka === 'long') && (kb === 'int' || kb === 'long')) return asBig(a) === asBig(b);
    }
    return toNumber(a) === toNumber(b);
  }
  if (a instanceof XNameValue || b instanceof XNameValue) return String(a) === String(b);
  if (typeof a === 'string' || typeof b === 'string') return false;
  if (a instanceof EnumValue && b instanceof EnumValue) return a.type === b.type && a.value === b.value;
  if (a instanceof GuidValue && b instanceof GuidValue) return a.hex === b.hex;
  if (a instanceof DateTimeValue && b instanceof DateTimeValue) return a.ticks === b.ticks;
  if (a instanceof DateTimeOffsetValue && b instanceof DateTimeOffsetValue) return a.utcTicks === b.utcTicks;
  if (a instanceof TimeSpanValue && b instanceof TimeSpanValue) return a.ticks === b.ticks;
  // C# 7.3 tuple equality: element by element with each pair's own `==`.
  if (a instanceof TupleValue && b instanceof TupleValue) return a.items.length === b.items.length && a.items.every((x, i) => equals(x, b.items[i]));
  return false;
}

/** object.Equals(a, b): like `==` but a boxed int never equals a boxed long or double. */
export function objectEquals(a: unknown, b: unknown): boolean {
  // ValueTuple.Equals: the same arity and each element Equals its counterpart.
  if (a instanceof TupleValue || b instanceof TupleValue) {
    return a instanceof TupleValue && b instanceof TupleValue && a.items.length === b.items.length && a.items.every((x, i) => objectEquals(x, b.items[i]));
  }
  const ka = numericKind(a);
  const kb = numericKind(b);
  if (ka !== undefined && kb !== undefined) {
    if (typeNameOf(a) !== typeNameOf(b)) return false;
  }
  return equals(a, b);
}

/** Ordering for < <= > >= and CompareTo/OrderBy: negative, zero or positive. */
export function compare(a: unknown, b: unknown): number {
  if (numericKind(a) !== undefined && numericKind(b) !== undefined) {
    if (exactDecimalPair(numericKind(a)!, numericKind(b)!)) return compareDecimal(toDecimal(a), toDecimal(b));
    if (typeof a === 'bigint' || typeof b === 'bigint') {
      const ka = numericKind(a);
      const kb = numericKind(b);
      if ((ka === 'int' || ka === 'long') && (kb === 'int' || kb === 'long')) {
        const x = asBig(a);
        const y = asBig(b);
        return x < y ? -1 : x > y ? 1 : 0;
      }
    }
    const x = toNumber(a);
    const y = toNumber(b);
    if (Number.isNaN(x)) return Number.isNaN(y) ? 0 : -1;
    if (Number.isNaN(y)) return 1;
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (typeof a === 'string' && typeof b === 'string') return compareStrings(a, b);
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  if (a instanceof DateTimeValue && b instanceof DateTimeValue) return a.ticks < b.ticks ? -1 : a.ticks > b.ticks ? 1 : 0;
  if (a instanceof DateTimeOffsetValue && b instanceof DateTimeOffsetValue) return a.utcTicks < b.utcTicks ? -1 : a.utcTicks > b.utcTicks ? 1 : 0;
  if (a instanceof TimeSpanValue && b instanceof TimeSpanValue) return a.ticks < b.ticks ? -1 : a.ticks > b.ticks ? 1 : 0;
  if (a instanceof GuidValue && b instanceof GuidValue) return a.hex < b.hex ? -1 : a.hex > b.hex ? 1 : 0;
  if (a instanceof EnumValue && b instanceof EnumValue) return a.value - b.value;
  if (a === null) return b === null ? 0 : -1;
  if (b === null) return 1;
  return raise('System.ArgumentException', 'At least one object must implement IComparable.');
}

/** Culture-aware-ish string comparison (invariant: case-insensitive first, lower before upper). */
export function compareStrings(a: string, b: string): number {
  const r = a.localeCompare(b, 'en', { sensitivity: 'variant', caseFirst: 'lower' });
  return r < 0 ? -1 : r > 0 ? 1 : 0;
}

/** Ordinal comparison (StringComparison.Ordinal, string.CompareOrdinal). */
export function compareOrdinal(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `<`, `<=`, `>`, `>=` (false when either side is null, like lifted operators). */
export function relational(op: string, a: unknown, b: unknown): boolean {
  if (a === null || b === null) return false;
  if (typeof a === 'string' || typeof b === 'string') badOperands(op, a, b);
  const ka = numericKind(a);
  const kb = numericKind(b);
  if ((ka !== undefined) !== (kb !== undefined)) badOperands(op, a, b);
  if (ka !== undefined && (Number.isNaN(toNumber(a)) || Number.isNaN(toNumber(b)))) return false;
  const c = compare(a, b);
  switch (op) {
    case '<': return c < 0;
    case '<=': return c <= 0;
    case '>': return c > 0;
    default: return c >= 0;
  }
}
