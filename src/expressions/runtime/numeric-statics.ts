/** Math, Convert, BitConverter and the statics of the primitive types (int.Parse, double.NaN …). */
import { raise } from '../errors.js';
import { CharValue, DecimalValue, DoubleValue, EnumValue, numericKind, toNumber, type OutSlot } from './values.js';
import {
  convertToBoolean, convertToDecimal, convertToDouble, convertToIntegral, integral, parseDecimal, parseIntegral, parseReal, roundHalfEven,
} from './convert.js';
import { DateTimeValue, parseDateTime } from './datetime.js';
import { display } from './display.js';
import { formatWith } from './format-value.js';
import { bytesArg } from './crypto.js';
import { arithmetic, compare } from './operators.js';
import { decimalFromDouble, maxMantissa, negateDecimal, roundDecimal, type Rounding } from './decimal.js';
import { intArg, isOutSlot, noOverload, strArg, type MemberTable, type MethodImpl } from './member-table.js';

function same(v: unknown, n: number): unknown {
  const k = numericKind(v);
  if (k === 'int') return n;
  if (k === 'long') return BigInt(n);
  if (k === 'decimal') return decimalFromDouble(n);
  if (k === 'float') return new DoubleValue(Math.fround(n), true);
  return new DoubleValue(n);
}

function real(v: unknown): DoubleValue {
  return new DoubleValue(toNumber(v));
}

function unary(fn: (x: number) => number): MethodImpl {
  return (_: unknown, a) => new DoubleValue(fn(toNumber(a[0])));
}

function round(value: number, digits: number, mode: string): number {
  const f = 10 ** digits;
  const scaled = Number((value * f).toPrecision(15));
  let r: number;
  if (mode === 'AwayFromZero') r = Math.sign(scaled) * Math.round(Math.abs(scaled));
  else if (mode === 'ToZero') r = Math.trunc(scaled);
  else if (mode === 'ToPositiveInfinity') r = Math.ceil(scaled);
  else if (mode === 'ToNegativeInfinity') r = Math.floor(scaled);
  else r = roundHalfEven(scaled);
  return r / f;
}

/** Static members: math. */
export const mathStatics: MemberTable = {
  props: {
    PI: () => new DoubleValue(Math.PI),
    E: () => new DoubleValue(Math.E),
  },
  methods: {
    Abs: (_: unknown, a) => {
      const v = a[0];
      if (typeof v === 'number') {
        if (v === -2147483648) raise('System.OverflowException', 'Negating the minimum value of a twos complement number is invalid.');
        return Math.abs(v);
      }
      if (typeof v === 'bigint') return v < 0n ? -v : v;
      if (v instanceof DecimalValue) return v.m < 0n ? negateDecimal(v) : v;
      return same(v, Math.abs(toNumber(v)));
    },
    Max: (_: unknown, a) => (compare(a[0], a[1]) >= 0 ? promoteTo(a[0], a[1]) : promoteTo(a[1], a[0])),
    Min: (_: unknown, a) => (compare(a[0], a[1]) <= 0 ? promoteTo(a[0], a[1]) : promoteTo(a[1], a[0])),
    Clamp: (_: unknown, a) => (compare(a[0], a[1]) < 0 ? a[1] : compare(a[0], a[2]) > 0 ? a[2] : a[0]),
    Round: (_: unknown, a) => {
      const digits = typeof a[1] === 'number' ? a[1] : 0;
      const modeArg = a.find((x) => x instanceof EnumValue) as EnumValue | undefined;
      if (a[0] instanceof DecimalValue) return roundDecimal(a[0], digits, (modeArg?.name ?? 'ToEven') as Rounding);
      return new DoubleValue(round(toNumber(a[0]), digits, modeArg?.name ?? 'ToEven'));
    },
    Floor: (_: unknown, a) => (a[0] instanceof DecimalValue ? roundDecimal(a[0], 0, 'ToNegativeInfinity') : new DoubleValue(Math.floor(toNumber(a[0])))),
    Ceiling: (_: unknown, a) => (a[0] instanceof DecimalValue ? roundDecimal(a[0], 0, 'ToPositiveInfinity') : new DoubleValue(Math.ceil(toNumber(a[0])))),
    Truncate: (_: unknown, a) => (a[0] instanceof DecimalValue ? roundDecimal(a[0], 0, 'ToZero') : new DoubleValue(Math.trunc(toNumber(a[0])))),
    Sign: (_: unknown, a) => {
      const n = toNumber(a[0]);
      if (Number.isNaN(n)) raise('System.ArithmeticException', 'Function does not accept floating point Not-a-Number values.');
      return Math.sign(n);
    },
    Pow: (_: unknown, a) => new DoubleValue(Math.pow(toNumber(a[0]), toNumber(a[1]))),
    Sqrt: unary(Math.sqrt),
    Exp: unary(Math.exp),
    Log: (_: unknown, a) => new DoubleValue(a.length > 1 ? Math.log(toNumber(a[0])) / Math.log(toNumber(a[1])) : Math.log(toNumber(a[0]))),
    Log10: unary(Math.log10),
    Log2: unary(Math.log2),
    Sin: unary(Math.sin),
    Cos: unary(Math.cos),
    Tan: unary(Math.tan),
    Asin: unary(Math.asin),
    Acos: unary(Math.acos),
    Atan: unary(Math.atan),
    Atan2: (_: unknown, a) => new DoubleValue(Math.atan2(toNumber(a[0]), toNumber(a[1]))),
    Cbrt: unary(Math.cbrt),
  },
};

/** The result type of Math.Max/Min follows the wider operand. */
function promoteTo(chosen: unknown, other: unknown): unknown {
  const r = arithmetic('+', chosen, numericKind(other) === 'long' ? 0n : numericKind(other) === 'double' ? new DoubleValue(0) : numericKind(other) === 'decimal' ? new DecimalValue(0n) : 0, false, dummyRuntime);
  return numericKind(chosen) === 'int' && numericKind(other) === 'int' ? chosen : r;
}

const dummyRuntime = { checkLength: () => undefined } as unknown as Parameters<typeof arithmetic>[4];

const base64Error = (): never =>
  raise('System.FormatException', 'The input is not a valid Base-64 string as it contains a non-base 64 character, more than two padding characters, or an illegal character among the padding characters.');

/** Convert.FromBase64String with .NET's strictness (whitespace allowed, padding required). */
export function fromBase64(s: string): Uint8Array {
  const t = s.replace(/[\s]/g, '');
  if (t.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(t)) base64Error();
  return new Uint8Array(Buffer.from(t, 'base64'));
}

function toIntegralIn(v: unknown, target: string, fromBase?: unknown): number | bigint {
  if (fromBase !== undefined && typeof v === 'string') {
    const radix = intArg(fromBase, 'fromBase');
    if (![2, 8, 10, 16].includes(radix)) raise('System.ArgumentException', 'Invalid Base.');
    const text = radix === 16 ? v.replace(/^0x/i, '') : v;
    if (!new RegExp(`^[${'0123456789abcdef'.slice(0, radix)}]+$`, 'i').test(text)) raise('System.FormatException', 'Could not find any recognizable digits.');
    const b = BigInt((radix === 16 ? '0x' : radix === 8 ? '0o' : radix === 2 ? '0b' : '') + text);
    return integral(b, target, false);
  }
  return convertToIntegral(v, target);
}

/** Static members: convert. */
export const convertStatics: MemberTable = {
  methods: {
    ToBase64String: (_: unknown, a, site) => {
      let b = bytesArg(a[0], site.rt, 'inArray');
      if (a.length >= 3) b = b.subarray(intArg(a[1], 'offset'), intArg(a[1], 'offset') + intArg(a[2], 'length'));
      return site.rt.str(Buffer.from(b).toString('base64'));
    },
    FromBase64String: (_: unknown, a) => fromBase64(strArg(a[0], 's')),
    ToHexString: (_: unknown, a, site) => Buffer.from(bytesArg(a[0], site.rt, 'inArray')).toString('hex').toUpperCase(),
    FromHexString: (_: unknown, a) => {
      const s = strArg(a[0], 's');
      if (s.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(s)) raise('System.FormatException', 'The input is not a valid hex string as its length is not a multiple of 2.');
      return new Uint8Array(Buffer.from(s, 'hex'));
    },
    ToInt32: (_: unknown, a) => toIntegralIn(a[0], 'int', a.length > 1 && typeof a[1] === 'number' ? a[1] : undefined),
    ToInt64: (_: unknown, a) => toIntegralIn(a[0], 'long', a.length > 1 && typeof a[1] === 'number' ? a[1] : undefined),
    ToInt16: (_: unknown, a) => toIntegralIn(a[0], 'short', a.length > 1 && typeof a[1] === 'number' ? a[1] : undefined),
    ToUInt32: (_: unknown, a) => toIntegralIn(a[0], 'uint'),
    ToUInt64: (_: unknown, a) => toIntegralIn(a[0], 'ulong'),
    ToByte: (_: unknown, a) => toIntegralIn(a[0], 'byte', a.length > 1 && typeof a[1] === 'number' ? a[1] : undefined),
    ToDouble: (_: unknown, a) => new DoubleValue(convertToDouble(a[0])),
    ToSingle: (_: unknown, a) => new DoubleValue(Math.fround(convertToDouble(a[0])), true),
    ToDecimal: (_: unknown, a) => convertToDecimal(a[0]),
    ToBoolean: (_: unknown, a) => convertToBoolean(a[0]),
    ToString: (_: unknown, a) => {
      if (a.length > 1 && typeof a[1] === 'number' && (typeof a[0] === 'number' || typeof a[0] === 'bigint')) {
        if (![2, 8, 10, 16].includes(a[1])) raise('System.ArgumentException', 'Invalid Base.');
        let b = BigInt(a[0]);
        if (b < 0n) b = BigInt.asUintN(typeof a[0] === 'bigint' ? 64 : 32, b);
        return b.toString(a[1]);
      }
      if (a.length > 1 && typeof a[1] === 'string') return formatWith(a[0], a[1]);
      return display(a[0]);
    },
    ToChar: (_: unknown, a) => {
      if (a[0] instanceof CharValue) return a[0];
      if (typeof a[0] === 'string') {
        if (a[0].length !== 1) raise('System.FormatException', 'String must be exactly one character long.');
        return new CharValue(a[0].charCodeAt(0));
      }
      return new CharValue(Number(integral(a[0], 'ushort', true)));
    },
    ToDateTime: (_: unknown, a) => {
      if (a[0] instanceof DateTimeValue) return a[0];
      if (a[0] === null) return new DateTimeValue(0n);
      return parseDateTime(strArg(a[0], 'value')) ?? raise('System.FormatException', `String '${String(a[0])}' was not recognized as a valid DateTime.`);
    },
  },
};

/** Static members: bit converter. */
export const bitConverterStatics: MemberTable = {
  props: { IsLittleEndian: () => true },
  methods: {
    ToString: (_: unknown, a, site) => {
      let b = bytesArg(a[0], site.rt, 'value');
      if (a.length >= 2) b = b.subarray(intArg(a[1], 'startIndex'), a.length >= 3 ? intArg(a[1], 'startIndex') + intArg(a[2], 'length') : undefined);
      return Array.from(b, (x) => x.toString(16).toUpperCase().padStart(2, '0')).join('-');
    },
    GetBytes: (_: unknown, a) => {
      const v = a[0];
      const buf = Buffer.alloc(typeof v === 'bigint' || v instanceof DoubleValue ? 8 : typeof v === 'boolean' ? 1 : v instanceof CharValue ? 2 : 4);
      if (typeof v === 'number') buf.writeInt32LE(v);
      else if (typeof v === 'bigint') buf.writeBigInt64LE(v);
      else if (v instanceof DoubleValue) buf.writeDoubleLE(v.v);
      else if (typeof v === 'boolean') buf.writeUInt8(v ? 1 : 0);
      else if (v instanceof CharValue) buf.writeUInt16LE(v.code);
      else return noOverload('GetBytes', a);
      return new Uint8Array(buf);
    },
    ToInt32: (_: unknown, a, site) => Buffer.from(bytesArg(a[0], site.rt, 'value')).readInt32LE(intArg(a[1] ?? 0, 'startIndex')),
    ToInt64: (_: unknown, a, site) => Buffer.from(bytesArg(a[0], site.rt, 'value')).readBigInt64LE(intArg(a[1] ?? 0, 'startIndex')),
  },
};

function tryParse(a: unknown[], parse: (s: string) => unknown, fallback: unknown): boolean {
  const slot = a[a.length - 1];
  if (!isOutSlot(slot)) return noOverload('TryParse', a);
  if (typeof a[0] !== 'string') {
    (slot as OutSlot).set(fallback);
    return false;
  }
  try {
    (slot as OutSlot).set(parse(a[0]));
    return true;
  } catch {
    (slot as OutSlot).set(fallback);
    return false;
  }
}

function integralStatics(name: string, min: number | bigint, max: number | bigint): MemberTable {
  const zero = typeof min === 'bigint' ? 0n : 0;
  return {
    props: { MaxValue: () => max, MinValue: () => min },
    methods: {
      Parse: (_: unknown, a) => {
        if (a.length > 1 && a[1] instanceof EnumValue && a[1].name === 'HexNumber') return integral(BigInt('0x' + strArg(a[0], 's').trim()), name, false);
        return parseIntegral(a[0] === null ? null : strArg(a[0], 's'), name);
      },
      TryParse: (_: unknown, a) => tryParse(a, (s) => parseIntegral(s, name), zero),
    },
  };
}

function realStatics(name: 'double' | 'float' | 'decimal'): MemberTable {
  const wrap = (n: number): unknown => (name === 'decimal' ? decimalFromDouble(n) : new DoubleValue(name === 'float' ? Math.fround(n) : n, name === 'float'));
  const parse = (s: string | null): unknown => (name === 'decimal' ? parseDecimal(s) : wrap(parseReal(s, name)));
  const props: MemberTable['props'] = name === 'decimal'
    ? {
      MaxValue: () => new DecimalValue(maxMantissa), MinValue: () => new DecimalValue(-maxMantissa),
      Zero: () => new DecimalValue(0n), One: () => new DecimalValue(1n), MinusOne: () => new DecimalValue(-1n),
    }
    : {
      MaxValue: () => wrap(name === 'float' ? 3.4028234663852886e38 : Number.MAX_VALUE),
      MinValue: () => wrap(name === 'float' ? -3.4028234663852886e38 : -Number.MAX_VALUE),
      Epsilon: () => wrap(name === 'float' ? 1.401298464324817e-45 : Number.MIN_VALUE),
      NaN: () => wrap(NaN),
      PositiveInfinity: () => wrap(Infinity),
      NegativeInfinity: () => wrap(-Infinity),
    };
  return {
    props,
    methods: {
      Parse: (_: unknown, a) => parse(a[0] === null ? null : strArg(a[0], 's')),
      TryParse: (_: unknown, a) => tryParse(a, parse, name === 'decimal' ? new DecimalValue(0n) : wrap(0)),
      IsNaN: (_: unknown, a) => Number.isNaN(toNumber(a[0])),
      IsInfinity: (_: unknown, a) => Math.abs(toNumber(a[0])) === Infinity,
      IsPositiveInfinity: (_: unknown, a) => toNumber(a[0]) === Infinity,
      IsNegativeInfinity: (_: unknown, a) => toNumber(a[0]) === -Infinity,
      IsFinite: (_: unknown, a) => Number.isFinite(toNumber(a[0])),
      Round: mathStatics.methods!.Round!,
      Floor: mathStatics.methods!.Floor!,
      Ceiling: mathStatics.methods!.Ceiling!,
      Truncate: mathStatics.methods!.Truncate!,
    },
  };
}

function charTest(re: RegExp): MethodImpl {
  return (_: unknown, a) => {
    const c = a.length === 2 ? strArg(a[0], 's')[intArg(a[1], 'index')] : display(a[0]);
    if (c === undefined) raise('System.ArgumentOutOfRangeException', 'Index was out of range.');
    return re.test(c);
  };
}

export const primitiveStatics: Record<string, MemberTable> = {
  int: integralStatics('int', -2147483648, 2147483647),
  long: integralStatics('long', -9223372036854775808n, 9223372036854775807n),
  short: integralStatics('short', -32768, 32767),
  ushort: integralStatics('ushort', 0, 65535),
  byte: integralStatics('byte', 0, 255),
  sbyte: integralStatics('sbyte', -128, 127),
  uint: integralStatics('uint', 0n, 4294967295n),
  ulong: integralStatics('ulong', 0n, 18446744073709551615n),
  double: realStatics('double'),
  float: realStatics('float'),
  decimal: realStatics('decimal'),
  bool: {
    props: { TrueString: () => 'True', FalseString: () => 'False' },
    methods: {
      Parse: (_: unknown, a) => {
        const s = strArg(a[0], 'value').trim().toLowerCase();
        if (s === 'true') return true;
        if (s === 'false') return false;
        return raise('System.FormatException', `String '${String(a[0])}' was not recognized as a valid Boolean.`);
      },
      TryParse: (_: unknown, a) => tryParse(a, (s) => {
        const t = s.trim().toLowerCase();
        if (t === 'true') return true;
        if (t === 'false') return false;
        throw new Error('no');
      }, false),
    },
  },
  char: {
    props: { MaxValue: () => new CharValue(0xffff), MinValue: () => new CharValue(0) },
    methods: {
      IsDigit: charTest(/^\p{Nd}$/u),
      IsLetter: charTest(/^\p{L}$/u),
      IsLetterOrDigit: charTest(/^[\p{L}\p{Nd}]$/u),
      IsWhiteSpace: charTest(/^\s$/),
      IsUpper: charTest(/^\p{Lu}$/u),
      IsLower: charTest(/^\p{Ll}$/u),
      IsPunctuation: charTest(/^\p{P}$/u),
      IsNumber: charTest(/^\p{N}$/u),
      IsControl: charTest(/^\p{Cc}$/u),
      IsSymbol: charTest(/^\p{S}$/u),
      ToUpper: (_: unknown, a) => new CharValue(display(a[0]).toUpperCase().charCodeAt(0)),
      ToLower: (_: unknown, a) => new CharValue(display(a[0]).toLowerCase().charCodeAt(0)),
      ToUpperInvariant: (_: unknown, a) => new CharValue(display(a[0]).toUpperCase().charCodeAt(0)),
      ToLowerInvariant: (_: unknown, a) => new CharValue(display(a[0]).toLowerCase().charCodeAt(0)),
      Parse: (_: unknown, a) => {
        const s = strArg(a[0], 's');
        if (s.length !== 1) raise('System.FormatException', 'String must be exactly one character long.');
        return new CharValue(s.charCodeAt(0));
      },
      GetNumericValue: (_: unknown, a) => {
        const c = display(a[0]);
        return new DoubleValue(/^\d$/.test(c) ? Number(c) : -1);
      },
    },
  },
};

/** Instance members of numbers, bool and char. */
export const scalarMembers: MemberTable = {
  methods: {
    ToString: (v: unknown, a) => (a.length > 0 && typeof a[0] === 'string' ? formatWith(v, a[0]) : display(v)),
    CompareTo: (v: unknown, a) => (a[0] === null ? 1 : compare(v, a[0])),
    GetHashCode: (v: unknown) => (typeof v === 'number' ? v : typeof v === 'boolean' ? (v ? 1 : 0) : v instanceof CharValue ? v.code | (v.code << 16) : Number(BigInt.asIntN(32, BigInt(Math.trunc(toNumber(v)))))),
  },
};
