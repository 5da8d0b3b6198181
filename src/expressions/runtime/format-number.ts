/**
 * .NET number formatting with the invariant culture: default ToString() (shortest round-trip
 * for double, exponent from 1E+15) and the standard format strings C, D, E, F, G, N, P, R, X
 * plus simple custom patterns (`0.00`, `#,##0`, `000`).
 */
import { raise } from '../errors.js';

/** double.ToString() / float.ToString(). */
export function formatDouble(v: number, single = false): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return 'Infinity';
  if (v === -Infinity) return '-Infinity';
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  let digits: string;
  let exp: number;
  if (single) {
    let p = 1;
    let s = v.toPrecision(p);
    while (Math.fround(Number(s)) !== v && p < 9) s = v.toPrecision(++p);
    [digits, exp] = splitExponential(Number(s).toExponential(p - 1));
  } else [digits, exp] = splitExponential(v.toExponential());
  return layout(v < 0, digits, exp, 15);
}

/** Splits `-1.2345e+3` into digits `12345` and exponent 3. */
function splitExponential(s: string): [string, number] {
  const m = /^-?(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(s)!;
  let digits = m[1]! + (m[2] ?? '');
  digits = digits.replace(/0+$/, '') || '0';
  return [digits, Number(m[3])];
}

function layout(negative: boolean, digits: string, exp: number, sciFrom: number): string {
  const sign = negative ? '-' : '';
  if (exp >= sciFrom || exp < -4) {
    const mant = digits.length > 1 ? digits[0] + '.' + digits.slice(1) : digits;
    const e = Math.abs(exp);
    return `${sign}${mant}E${exp < 0 ? '-' : '+'}${e < 10 ? '0' + e : e}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  if (digits.length <= exp + 1) return sign + digits + '0'.repeat(exp + 1 - digits.length);
  return `${sign}${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
}

/**
 * Exact fixed-point text of the value × 10^shift with `decimals` places, rounded half away
 * from zero (decimals supply it so F/N/P/custom formats never go through a double).
 */
export type ExactFixed = (decimals: number, shift: number) => string;

function groupThousands(intPart: string): string {
  return intPart.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Rounds half away from zero to `decimals` places, as .NET Core does for F/N formats. */
function toFixedAway(v: number, decimals: number, exact?: ExactFixed, shift = 0): string {
  if (exact) {
    const s = exact(decimals, shift);
    return /[1-9]/.test(s) ? s : s.replace(/^-/, '');
  }
  if (!Number.isFinite(v)) return formatDouble(v);
  const abs = Math.abs(v);
  let s: string;
  if (abs >= 1e21) s = BigInt(Math.round(abs)).toString() + (decimals > 0 ? '.' + '0'.repeat(decimals) : '');
  else {
    // toFixed rounds the binary value; nudge by the shortest decimal representation first.
    const exact = Number(abs.toPrecision(15));
    const scaled = Math.round(exact * 10 ** decimals);
    if (Number.isSafeInteger(scaled) && decimals <= 15) {
      const str = scaled.toString().padStart(decimals + 1, '0');
      s = decimals > 0 ? str.slice(0, str.length - decimals) + '.' + str.slice(str.length - decimals) : str;
    } else s = abs.toFixed(Math.min(decimals, 100));
  }
  return (v < 0 && Number(s) !== 0 ? '-' : '') + s;
}

/** Formats an integer (number or bigint) or real (`isReal`) with a .NET format string. */
export function formatNumber(value: number | bigint, format: string, isReal: boolean, single = false, exact?: ExactFixed, exactText?: string): string {
  if (format === '' && exactText !== undefined) return exactText;
  if (format === '') return typeof value === 'bigint' ? value.toString() : isReal ? formatDouble(value, single) : String(value);
  const m = /^([A-Za-z])(\d{0,2})$/.exec(format);
  if (!m) return formatCustom(Number(value), format, exact);
  const spec = m[1]!;
  const precision = m[2] === '' ? undefined : Number(m[2]);
  const num = Number(value);
  if (!Number.isFinite(num) || (/[PpNnFfCc]/.test(spec) && !Number.isFinite(num * 100))) {
    return formatDouble(/[Pp]/.test(spec) ? num * 100 : num) + (/[Pp]/.test(spec) ? ' %' : '');
  }
  switch (spec.toUpperCase()) {
    case 'D': {
      if (isReal) raise('System.FormatException', 'Format specifier was invalid.');
      const abs = (typeof value === 'bigint' ? (value < 0n ? -value : value) : Math.abs(num)).toString();
      return (num < 0 ? '-' : '') + abs.padStart(precision ?? 0, '0');
    }
    case 'X': {
      if (isReal) raise('System.FormatException', 'Format specifier was invalid.');
      let big = BigInt(value);
      if (big < 0n) big = BigInt.asUintN(typeof value === 'bigint' ? 64 : 32, big);
      const hex = big.toString(16).padStart(precision ?? 0, '0');
      return spec === 'X' ? hex.toUpperCase() : hex;
    }
    case 'F':
      return toFixedAway(num, precision ?? 2, exact);
    case 'N': {
      const fixed = toFixedAway(num, precision ?? 2, exact);
      const neg = fixed.startsWith('-');
      const [i, f] = (neg ? fixed.slice(1) : fixed).split('.');
      return (neg ? '-' : '') + groupThousands(i!) + (f !== undefined ? '.' + f : '');
    }
    case 'P': {
      const fixed = toFixedAway(num * 100, precision ?? 2, exact, 2);
      const neg = fixed.startsWith('-');
      const [i, f] = (neg ? fixed.slice(1) : fixed).split('.');
      return (neg ? '-' : '') + groupThousands(i!) + (f !== undefined ? '.' + f : '') + ' %';
    }
    case 'C': {
      const fixed = toFixedAway(num, precision ?? 2, exact);
      const neg = fixed.startsWith('-');
      const [i, f] = (neg ? fixed.slice(1) : fixed).split('.');
      const body = '¤' + groupThousands(i!) + (f !== undefined ? '.' + f : '');
      return neg ? `-${body}` : body;
    }
    case 'E': {
      const p = precision ?? 6;
      const [mant, exp] = num.toExponential(p).split('e');
      const e = Number(exp);
      const expText = String(Math.abs(e)).padStart(3, '0');
      return `${mant}${spec === 'e' ? 'e' : 'E'}${e < 0 ? '-' : '+'}${expText}`;
    }
    case 'G': case 'R':
      if (!isReal) return typeof value === 'bigint' ? value.toString() : String(value);
      if (exactText !== undefined && precision === undefined) return exactText;
      if (precision === undefined || spec.toUpperCase() === 'R') return formatDouble(num, single);
      {
        const [digits, exp] = splitExponential(num.toExponential(Math.max(0, precision - 1)));
        return layout(num < 0, digits, exp, precision);
      }
    default:
      return formatCustom(num, format, exact);
  }
}

/** Custom numeric format: `0`, `#`, `.`, `,` (grouping), `%`, literal text in quotes. */
function formatCustom(v: number, format: string, exact?: ExactFixed): string {
  if (!Number.isFinite(v)) return formatDouble(v);
  const section = format.split(';')[v < 0 && format.includes(';') ? 1 : 0] ?? format;
  const useSign = !(v < 0 && format.includes(';'));
  const percent = section.includes('%');
  const num = Math.abs(percent ? v * 100 : v);
  const dot = section.indexOf('.');
  const intPattern = (dot === -1 ? section : section.slice(0, dot)).replace(/[^0#,]/g, '');
  const fracPattern = dot === -1 ? '' : section.slice(dot + 1).replace(/[^0#]/g, '');
  const grouping = intPattern.includes(',') && /[0#],+[0#]/.test(intPattern);
  const minInt = (intPattern.replace(/,/g, '').match(/0/g) ?? []).length;
  const minFrac = (fracPattern.match(/0/g) ?? []).length;
  const maxFrac = fracPattern.length;
  let fixed = toFixedAway(num, maxFrac, exact, percent ? 2 : 0).replace(/^-/, '');
  let [i, f = ''] = fixed.split('.');
  while (f.length > minFrac && f.endsWith('0')) f = f.slice(0, -1);
  if (i === '0' && minInt === 0) i = '';
  i = i!.padStart(minInt, '0');
  if (grouping) i = groupThousands(i);
  fixed = i + (f ? '.' + f : '');
  // Keep literal text around the digits (prefix/suffix), e.g. "$#,##0.00" or "0.0 %".
  const firstDigit = section.search(/[0#]/);
  let lastDigit = -1;
  for (let k = section.length - 1; k >= 0; k--) if (/[0#]/.test(section[k]!)) { lastDigit = k; break; }
  const prefix = firstDigit > 0 ? stripQuotes(section.slice(0, firstDigit)) : '';
  const suffix = lastDigit >= 0 ? stripQuotes(section.slice(lastDigit + 1)) : '';
  const negative = v < 0 && useSign && Number(fixed.replace(/,/g, '')) !== 0;
  return (negative ? '-' : '') + prefix + (fixed === '' ? '0' : fixed) + suffix;
}

function stripQuotes(s: string): string {
  return s.replace(/['"]/g, '').replace(/[.,]/g, (c) => c);
}
