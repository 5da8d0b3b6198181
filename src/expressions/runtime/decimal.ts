/**
 * System.Decimal arithmetic: a signed 96-bit integer mantissa (BigInt) and a scale 0…28, with
 * .NET's rules for the scale of results (sums keep the larger scale, products add scales,
 * quotients use the fewest digits that are exact, else as many as fit), banker's rounding
 * when digits must be dropped, and OverflowException beyond ±79228162514264337593543950335.
 */
import { raise } from '../errors.js';

/** The largest mantissa magnitude (2^96 − 1). */
export const maxMantissa = (1n << 96n) - 1n;
const maxScale = 28;

/** A System.Decimal value: `m × 10^-scale`. */
export class DecimalValue {
  constructor(
    /** Signed mantissa, |m| ≤ 2^96 − 1. */
    readonly m: bigint,
    /** Digits after the decimal point, 0…28 (kept: 2.50m prints "2.50"). */
    readonly scale = 0,
  ) {}
  /** The nearest double (for operations defined on double, e.g. Math.Sqrt). */
  get v(): number {
    return Number(this.toString());
  }
  toString(): string {
    return decimalText(this);
  }
}

/** How a dropped fraction rounds (MidpointRounding plus the directed modes). */
export type Rounding = 'ToEven' | 'AwayFromZero' | 'ToZero' | 'ToNegativeInfinity' | 'ToPositiveInfinity';

const pow10Cache: bigint[] = [];
/** 10^n as a BigInt. */
export function pow10(n: number): bigint {
  let p = pow10Cache[n];
  if (p === undefined) pow10Cache[n] = p = 10n ** BigInt(n);
  return p;
}

function abs(n: bigint): bigint {
  return n < 0n ? -n : n;
}

/** `n / d` (d > 0) rounded to an integer by `mode`. */
export function roundDiv(n: bigint, d: bigint, mode: Rounding): bigint {
  const q = n / d;
  const r = n % d;
  if (r === 0n) return q;
  const negative = n < 0n;
  const twice = abs(r) * 2n;
  let up: boolean;
  switch (mode) {
    case 'ToZero': up = false; break;
    case 'ToNegativeInfinity': up = negative; break;
    case 'ToPositiveInfinity': up = !negative; break;
    case 'AwayFromZero': up = twice >= d; break;
    default: up = twice > d || (twice === d && (abs(q) & 1n) === 1n);
  }
  return up ? (negative ? q - 1n : q + 1n) : q;
}

/** OverflowException as .NET words it for decimals. */
export function decimalOverflow(): never {
  return raise('System.OverflowException', 'Value was either too large or too small for a Decimal.');
}

/** Brings `m × 10^-scale` into range, dropping fraction digits with banker's rounding. */
export function fitDecimal(m: bigint, scale: number, mode: Rounding = 'ToEven'): DecimalValue {
  let drop = Math.max(0, scale - maxScale);
  let r = drop > 0 ? roundDiv(m, pow10(drop), mode) : m;
  while (abs(r) > maxMantissa) {
    drop++;
    if (drop > scale) return decimalOverflow();
    r = roundDiv(m, pow10(drop), mode);
  }
  return new DecimalValue(r, scale - drop);
}

function align(a: DecimalValue, b: DecimalValue): [bigint, bigint, number] {
  if (a.scale === b.scale) return [a.m, b.m, a.scale];
  if (a.scale > b.scale) return [a.m, b.m * pow10(a.scale - b.scale), a.scale];
  return [a.m * pow10(b.scale - a.scale), b.m, b.scale];
}

/** Compares two decimals numerically (2.50m equals 2.5m). */
export function compareDecimal(a: DecimalValue, b: DecimalValue): number {
  const [x, y] = align(a, b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** decimal + decimal (scale of the result: the larger scale). */
export function addDecimal(a: DecimalValue, b: DecimalValue): DecimalValue {
  const [x, y, s] = align(a, b);
  return fitDecimal(x + y, s);
}

/** decimal − decimal. */
export function subtractDecimal(a: DecimalValue, b: DecimalValue): DecimalValue {
  const [x, y, s] = align(a, b);
  return fitDecimal(x - y, s);
}

/** decimal × decimal (scales add). */
export function multiplyDecimal(a: DecimalValue, b: DecimalValue): DecimalValue {
  return fitDecimal(a.m * b.m, a.scale + b.scale);
}

/**
 * decimal ÷ decimal: the smallest scale ≥ max(0, s1 − s2) at which the quotient is exact;
 * otherwise the most digits that fit (scale ≤ 28, mantissa ≤ 2^96 − 1), banker's-rounded.
 */
export function divideDecimal(a: DecimalValue, b: DecimalValue): DecimalValue {
  if (b.m === 0n) return raise('System.DivideByZeroException', 'Attempted to divide by zero.');
  const divisor = abs(b.m);
  const sign = (a.m < 0n) !== (b.m < 0n) ? -1n : 1n;
  const dividend = abs(a.m);
  const base = Math.max(0, a.scale - b.scale);
  // value = dividend·10^-s1 / (divisor·10^-s2); at scale s the mantissa is dividend·10^(s−s1+s2) / divisor.
  const at = (s: number): [bigint, bigint] => {
    const e = s - a.scale + b.scale;
    const n = e >= 0 ? dividend * pow10(e) : dividend;
    const d = e >= 0 ? divisor : divisor * pow10(-e);
    return [n, d];
  };
  for (let s = base; s <= maxScale; s++) {
    const [n, d] = at(s);
    const q = n / d;
    if (q > maxMantissa) {
      if (s === base) return decimalOverflow();
      break;
    }
    if (n % d === 0n) return new DecimalValue(sign * q, s);
  }
  // Not exact: the largest scale whose rounded quotient still fits.
  for (let s = maxScale; s >= base; s--) {
    const [n, d] = at(s);
    const q = roundDiv(n, d, 'ToEven');
    if (q <= maxMantissa) return new DecimalValue(sign * q, s);
  }
  return decimalOverflow();
}

/** decimal % decimal (sign of the dividend, the larger scale). */
export function remainderDecimal(a: DecimalValue, b: DecimalValue): DecimalValue {
  if (b.m === 0n) return raise('System.DivideByZeroException', 'Attempted to divide by zero.');
  const [x, y, s] = align(a, b);
  return new DecimalValue(x % y, s);
}

/** −decimal. */
export function negateDecimal(a: DecimalValue): DecimalValue {
  return new DecimalValue(-a.m, a.scale);
}

/** Math.Round(decimal, decimals, mode): never raises the scale (Round(1.2m, 3) is 1.2). */
export function roundDecimal(a: DecimalValue, decimals: number, mode: Rounding = 'ToEven'): DecimalValue {
  if (decimals < 0 || decimals > maxScale) {
    return raise('System.ArgumentOutOfRangeException', "Rounding digits must be between 0 and 28, inclusive. (Parameter 'decimals')");
  }
  if (a.scale <= decimals) return a;
  return new DecimalValue(roundDiv(a.m, pow10(a.scale - decimals), mode), decimals);
}

/** The integral part as a BigInt (truncated toward zero). */
export function truncateDecimal(a: DecimalValue): bigint {
  return a.m / pow10(a.scale);
}

/** An integer (int or long) as a decimal. */
export function decimalFromInteger(n: number | bigint): DecimalValue {
  const m = BigInt(n);
  if (abs(m) > maxMantissa) return decimalOverflow();
  return new DecimalValue(m, 0);
}

/** (decimal)double: .NET keeps 15 significant digits and drops trailing zeros. */
export function decimalFromDouble(n: number): DecimalValue {
  if (!Number.isFinite(n) || Math.abs(n) >= 7.9228162514264338e28) return decimalOverflow();
  if (n === 0) return new DecimalValue(0n, 0);
  const exact = parseDecimalText(n.toPrecision(15));
  return exact ? normalizeDecimal(exact) : decimalOverflow();
}

/** The same value with trailing fractional zeros removed (the key of equal decimals). */
export function normalizeDecimal(a: DecimalValue): DecimalValue {
  let m = a.m;
  let s = a.scale;
  while (s > 0 && m % 10n === 0n) {
    m /= 10n;
    s--;
  }
  return m === a.m ? a : new DecimalValue(m, s);
}

/**
 * Parses `[-+]digits[.digits][e±n]` exactly; digits beyond the 96-bit range round half to
 * even. Returns undefined for text that is not a number; throws OverflowException when too large.
 */
export function parseDecimalText(text: string): DecimalValue | undefined {
  const m = /^([-+])?(\d*)(?:\.(\d*))?(?:[eE]([-+]?\d+))?$/.exec(text);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return undefined;
  const digits = (m[2] + (m[3] ?? '')).replace(/^0+(?=\d)/, '');
  let scale = (m[3] ?? '').length - Number(m[4] ?? 0);
  let mantissa = BigInt(digits || '0');
  if (m[1] === '-') mantissa = -mantissa;
  if (scale < 0) {
    if (mantissa === 0n) return new DecimalValue(0n, 0);
    if (-scale > 29) return decimalOverflow();
    mantissa *= pow10(-scale);
    scale = 0;
  }
  if (mantissa === 0n) return new DecimalValue(0n, Math.min(scale, maxScale));
  return fitDecimal(mantissa, scale);
}

/** decimal.ToString(): all digits of the scale, invariant `.`, no exponent. */
export function decimalText(a: DecimalValue): string {
  const digits = abs(a.m).toString().padStart(a.scale + 1, '0');
  const body = a.scale > 0 ? `${digits.slice(0, digits.length - a.scale)}.${digits.slice(digits.length - a.scale)}` : digits;
  return a.m < 0n ? '-' + body : body;
}

/**
 * The value × 10^shift as fixed-point text with `decimals` places, rounded half away from
 * zero (how .NET formats F, N, P and custom patterns); "-" only when a non-zero digit remains.
 */
export function decimalFixed(a: DecimalValue, decimals: number, shift = 0): string {
  const scale = a.scale - shift;
  let m: bigint;
  if (scale <= decimals) m = a.m * pow10(decimals - scale);
  else m = roundDiv(a.m, pow10(scale - decimals), 'AwayFromZero');
  return decimalText(new DecimalValue(m, decimals));
}

/** Checked conversion of the truncated value to an integer range; `typeName` as in "an Int32". */
export function decimalToInteger(a: DecimalValue, min: bigint, max: bigint, typeName: string): bigint {
  const t = truncateDecimal(a);
  if (t < min || t > max) return raise('System.OverflowException', `Value was either too large or too small for ${typeName}.`);
  return t;
}

/** Implicit/explicit conversion of a numeric runtime value (int, long, char, double, decimal) to decimal. */
export function toDecimal(v: unknown): DecimalValue {
  if (v instanceof DecimalValue) return v;
  if (typeof v === 'number') return Number.isInteger(v) ? decimalFromInteger(v) : decimalFromDouble(v);
  if (typeof v === 'bigint') return decimalFromInteger(v);
  if (v !== null && typeof v === 'object') {
    // CharValue (code) and DoubleValue (v) without importing values.ts (which imports this file).
    if ('code' in v && typeof v.code === 'number') return decimalFromInteger(v.code);
    if ('v' in v && typeof v.v === 'number') return decimalFromDouble(v.v);
  }
  return raise('System.InvalidCastException', 'Specified cast is not valid.');
}
