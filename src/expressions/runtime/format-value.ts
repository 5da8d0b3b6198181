/**
 * `ToString(format)` for any value and .NET composite formatting (`string.Format`,
 * interpolation holes with alignment and format).
 */
import { raise } from '../errors.js';
import { CharValue, DecimalValue, DoubleValue, EnumValue, GuidValue } from './values.js';
import { decimalFixed } from './decimal.js';
import { DateTimeOffsetValue, DateTimeValue, TimeSpanValue, formatDate, formatTimeSpan } from './datetime.js';
import { formatNumber } from './format-number.js';
import { display } from './display.js';
import type { Runtime } from './budget.js';

/** `value.ToString(format)` (IFormattable), or display() for types without formats. */
export function formatWith(v: unknown, format: string | null | undefined): string {
  if (format === null || format === undefined || format === '') return display(v);
  if (typeof v === 'number') return formatNumber(v, format, false);
  if (typeof v === 'bigint') return formatNumber(v, format, false);
  if (v instanceof DoubleValue) return formatNumber(v.v, format, true, v.single);
  if (v instanceof DecimalValue) return formatNumber(v.v, format, true, false, (decimals, shift) => decimalFixed(v, decimals, shift), v.toString());
  if (v instanceof DateTimeValue) return formatDate(v.ticks, 0, v.kind, format, false);
  if (v instanceof DateTimeOffsetValue) return formatDate(v.ticks, v.offsetMinutes, 'Local', format, true);
  if (v instanceof TimeSpanValue) return formatTimeSpan(v.ticks, format);
  if (v instanceof GuidValue) {
    if (!/^[NDBPndbp]$/.test(format)) raise('System.FormatException', 'Format string can be only "D", "d", "N", "n", "P", "p", "B", "b", "X" or "x".');
    return v.format(format);
  }
  if (v instanceof EnumValue) {
    if (/^[dD]$/.test(format)) return String(v.value);
    return v.name;
  }
  if (v instanceof CharValue || typeof v === 'string' || typeof v === 'boolean') return display(v);
  return display(v);
}

function align(text: string, alignment: number): string {
  if (alignment === 0) return text;
  return alignment > 0 ? text.padStart(alignment) : text.padEnd(-alignment);
}

/** One interpolation hole / format item: alignment and format applied. */
export function formatItem(v: unknown, alignment: number | undefined, format: string | undefined, rt: Runtime): string {
  if (alignment !== undefined && Math.abs(alignment) > rt.limits.maxStringLength) rt.checkLength(Math.abs(alignment));
  const text = formatWith(v, format);
  return alignment === undefined ? text : align(text, alignment);
}

/** string.Format(format, args…). */
export function compositeFormat(format: string | null, args: unknown[], rt: Runtime): string {
  if (format === null) return raise('System.ArgumentNullException', "Value cannot be null. (Parameter 'format')");
  let out = '';
  const bad = (): never => raise('System.FormatException', 'Input string was not in a correct format.');
  for (let i = 0; i < format.length; ) {
    const c = format[i]!;
    if (c === '{') {
      if (format[i + 1] === '{') {
        out += '{';
        i += 2;
        continue;
      }
      const close = format.indexOf('}', i);
      if (close === -1) bad();
      const item = format.slice(i + 1, close);
      const m = /^\s*(\d+)\s*(?:,\s*(-?\d+)\s*)?(?::(.*))?$/s.exec(item);
      if (!m) bad();
      const index = Number(m![1]);
      if (index >= args.length) raise('System.FormatException', 'Index (zero based) must be greater than or equal to zero and less than the size of the argument list.');
      out += formatItem(args[index], m![2] !== undefined ? Number(m![2]) : undefined, m![3], rt);
      rt.checkLength(out.length);
      i = close + 1;
      continue;
    }
    if (c === '}') {
      if (format[i + 1] === '}') {
        out += '}';
        i += 2;
        continue;
      }
      bad();
    }
    out += c;
    i++;
  }
  return out;
}
