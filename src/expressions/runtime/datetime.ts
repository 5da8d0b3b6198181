/**
 * System.DateTime, System.DateTimeOffset and System.TimeSpan, held as 100-ns ticks (bigint) so
 * round-trip formats ("o") are exact. The gateway's local time zone is UTC (documented).
 */
import { raise } from '../errors.js';

export const epochTicks = 621355968000000000n;
const ticksPerMs = 10000n;
export const ticksPerSecond = 10000000n;
const ticksPerDay = 864000000000n;
const maxTicks = 3155378975999999999n;

export type DateKind = 'Unspecified' | 'Utc' | 'Local';

/** The runtime value of DateTime. */
export class DateTimeValue {
  constructor(
    readonly ticks: bigint,
    readonly kind: DateKind = 'Unspecified',
  ) {
    if (ticks < 0n || ticks > maxTicks) raise('System.ArgumentOutOfRangeException', 'The added or subtracted value results in an un-representable DateTime.');
  }
  valueKey(): string {
    return 'dt:' + this.ticks;
  }
  toString(): string {
    return formatDate(this.ticks, 0, this.kind, 'G', false);
  }
}

/** The runtime value of DateTimeOffset. */
export class DateTimeOffsetValue {
  /** `ticks` are the local clock ticks; `offsetMinutes` the offset from UTC. */
  constructor(
    readonly ticks: bigint,
    readonly offsetMinutes: number,
  ) {}
  get utcTicks(): bigint {
    return this.ticks - BigInt(this.offsetMinutes) * 60n * ticksPerSecond;
  }
  valueKey(): string {
    return 'dto:' + this.utcTicks;
  }
  toString(): string {
    return formatDate(this.ticks, this.offsetMinutes, 'Local', 'G', true) + ' ' + formatOffset(this.offsetMinutes, true);
  }
}

/** The runtime value of TimeSpan. */
export class TimeSpanValue {
  constructor(readonly ticks: bigint) {}
  valueKey(): string {
    return 'ts:' + this.ticks;
  }
  toString(): string {
    return formatTimeSpan(this.ticks);
  }
}

/** A DateTime from milliseconds since the Unix epoch. */
export function dateFromMs(ms: number, kind: DateKind = 'Utc'): DateTimeValue {
  return new DateTimeValue(epochTicks + BigInt(Math.round(ms * 10000)), kind);
}

/** Ticks from a (possibly fractional) count of a unit, rounded to the millisecond as .NET Framework did for Add*. */
export function ticksFromUnit(amount: number, unitTicks: bigint): bigint {
  if (!Number.isFinite(amount)) raise('System.OverflowException', 'TimeSpan overflowed because the duration is too long.');
  const ticks = amount * Number(unitTicks);
  if (Math.abs(ticks) > 9.2e18) raise('System.OverflowException', 'TimeSpan overflowed because the duration is too long.');
  return BigInt(Math.round(ticks));
}

export const unitTicks = {
  Ticks: 1n,
  Milliseconds: ticksPerMs,
  Seconds: ticksPerSecond,
  Minutes: 60n * ticksPerSecond,
  Hours: 3600n * ticksPerSecond,
  Days: ticksPerDay,
};

interface Fields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  ms: number;
  frac: number; // ticks within the second (0..9999999)
  dayOfWeek: number;
  dayOfYear: number;
}

/** Calendar fields of a tick count. */
export function fields(ticks: bigint): Fields {
  const msSinceEpoch = Number((ticks - epochTicks) / ticksPerMs - ((ticks - epochTicks) % ticksPerMs < 0n ? 1n : 0n));
  const d = new Date(msSinceEpoch);
  const frac = Number(((ticks % ticksPerSecond) + ticksPerSecond) % ticksPerSecond);
  const startOfYear = Date.UTC(d.getUTCFullYear(), 0, 1);
  const dayStart = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    ms: Math.floor(frac / 10000),
    frac,
    dayOfWeek: d.getUTCDay(),
    dayOfYear: Math.round((dayStart - startOfYear) / 86400000) + 1,
  };
}

/** Ticks of a calendar date and time; fails like .NET for out-of-range parts. */
export function ticksOf(year: number, month: number, day: number, hour = 0, minute = 0, second = 0, ms = 0): bigint {
  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59 || ms < 0 || ms > 999) {
    raise('System.ArgumentOutOfRangeException', 'Year, Month, and Day parameters describe an un-representable DateTime.');
  }
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, ms);
  return epochTicks + BigInt(d.getTime()) * ticksPerMs;
}

/** Days in a month of the proleptic Gregorian calendar. */
export function daysInMonth(year: number, month: number): number {
  return [31, isLeap(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
}

/** Gregorian leap year. */
export function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** AddMonths with .NET's end-of-month clamping. */
export function addMonths(ticks: bigint, months: number): bigint {
  const f = fields(ticks);
  let m = f.month - 1 + months;
  const y = f.year + Math.floor(m / 12);
  m = ((m % 12) + 12) % 12;
  if (y < 1 || y > 9999) raise('System.ArgumentOutOfRangeException', 'The added or subtracted value results in an un-representable DateTime.');
  const day = Math.min(f.day, daysInMonth(y, m + 1));
  return ticksOf(y, m + 1, day) + (((ticks % ticksPerDay) + ticksPerDay) % ticksPerDay);
}

const monthNames = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const dayNames = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
export const dayOfWeekNames = dayNames;

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

function formatOffset(minutes: number, colon: boolean): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${pad(Math.floor(abs / 60), 2)}${colon ? ':' : ''}${pad(abs % 60, 2)}`;
}

const standardFormats: Record<string, string> = {
  d: 'MM/dd/yyyy',
  D: 'dddd, dd MMMM yyyy',
  f: 'dddd, dd MMMM yyyy HH:mm',
  F: 'dddd, dd MMMM yyyy HH:mm:ss',
  g: 'MM/dd/yyyy HH:mm',
  G: 'MM/dd/yyyy HH:mm:ss',
  m: 'MMMM dd',
  M: 'MMMM dd',
  t: 'HH:mm',
  T: 'HH:mm:ss',
  y: 'yyyy MMMM',
  Y: 'yyyy MMMM',
  s: "yyyy'-'MM'-'dd'T'HH':'mm':'ss",
  u: "yyyy'-'MM'-'dd HH':'mm':'ss'Z'",
  r: "ddd, dd MMM yyyy HH':'mm':'ss 'GMT'",
  R: "ddd, dd MMM yyyy HH':'mm':'ss 'GMT'",
};

/** Formats local ticks with a .NET date format string (invariant culture). */
export function formatDate(ticks: bigint, offsetMinutes: number, kind: DateKind, format: string, isOffset: boolean): string {
  if (format === '') format = 'G';
  if (format === 'o' || format === 'O') {
    const base = formatDate(ticks, offsetMinutes, kind, "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffff", isOffset);
    if (isOffset) return base + formatOffset(offsetMinutes, true);
    return base + (kind === 'Utc' ? 'Z' : kind === 'Local' ? '+00:00' : '');
  }
  if ((format === 'r' || format === 'R' || format === 'u') && isOffset) {
    ticks -= BigInt(offsetMinutes) * 60n * ticksPerSecond;
  }
  if (format.length === 1) {
    const std = standardFormats[format];
    if (std === undefined) raise('System.FormatException', 'Input string was not in a correct format.');
    format = std;
  }
  const f = fields(ticks);
  let out = '';
  for (let i = 0; i < format.length; ) {
    const c = format[i]!;
    let n = 1;
    while (format[i + n] === c) n++;
    switch (c) {
      case 'y':
        out += n === 2 ? pad(f.year % 100, 2) : n === 1 ? String(f.year % 100) : pad(f.year, n);
        break;
      case 'M':
        out += n >= 4 ? monthNames[f.month - 1] : n === 3 ? monthNames[f.month - 1]!.slice(0, 3) : pad(f.month, n);
        break;
      case 'd':
        out += n >= 4 ? dayNames[f.dayOfWeek] : n === 3 ? dayNames[f.dayOfWeek]!.slice(0, 3) : pad(f.day, n);
        break;
      case 'H':
        out += pad(f.hour, Math.min(n, 2));
        break;
      case 'h':
        out += pad(f.hour % 12 === 0 ? 12 : f.hour % 12, Math.min(n, 2));
        break;
      case 'm':
        out += pad(f.minute, Math.min(n, 2));
        break;
      case 's':
        out += pad(f.second, Math.min(n, 2));
        break;
      case 'f': case 'F': {
        if (n > 7) raise('System.FormatException', 'Input string was not in a correct format.');
        let digits = pad(f.frac, 7).slice(0, n);
        if (c === 'F') {
          digits = digits.replace(/0+$/, '');
          if (digits === '' && out.endsWith('.')) out = out.slice(0, -1);
        }
        out += digits;
        break;
      }
      case 't':
        out += n === 1 ? (f.hour < 12 ? 'A' : 'P') : f.hour < 12 ? 'AM' : 'PM';
        break;
      case 'K':
        out += isOffset ? formatOffset(offsetMinutes, true) : kind === 'Utc' ? 'Z' : kind === 'Local' ? '+00:00' : '';
        break;
      case 'z': {
        const off = isOffset ? offsetMinutes : 0;
        out += n === 1 ? (off < 0 ? '-' : '+') + String(Math.floor(Math.abs(off) / 60)) : n === 2 ? formatOffset(off, true).slice(0, 3) : formatOffset(off, true);
        break;
      }
      case "'": case '"': {
        const close = format.indexOf(c, i + 1);
        if (close === -1) raise('System.FormatException', `Cannot find a matching quote character for the character '${c}'.`);
        out += format.slice(i + 1, close);
        i = close + 1;
        continue;
      }
      case '\\':
        out += format[i + 1] ?? '';
        i += 2;
        continue;
      case '%':
        i += 1;
        continue;
      default:
        out += c.repeat(n);
    }
    i += n;
  }
  return out;
}

/** TimeSpan.ToString() / "c": `[-][d.]hh:mm:ss[.fffffff]`. */
export function formatTimeSpan(ticks: bigint, format = 'c'): string {
  const neg = ticks < 0n;
  const t = neg ? -ticks : ticks;
  const days = t / ticksPerDay;
  const rem = t % ticksPerDay;
  const h = Number(rem / (3600n * ticksPerSecond));
  const m = Number((rem / (60n * ticksPerSecond)) % 60n);
  const s = Number((rem / ticksPerSecond) % 60n);
  const frac = Number(rem % ticksPerSecond);
  if (format === 'c' || format === 't' || format === 'T' || format === '') {
    return `${neg ? '-' : ''}${days > 0n ? days + '.' : ''}${pad(h, 2)}:${pad(m, 2)}:${pad(s, 2)}${frac ? '.' + pad(frac, 7) : ''}`;
  }
  if (format === 'g') {
    const fr = frac ? '.' + pad(frac, 7).replace(/0+$/, '') : '';
    return `${neg ? '-' : ''}${days > 0n ? days + ':' : ''}${h}:${pad(m, 2)}:${pad(s, 2)}${fr}`;
  }
  // Custom: d, hh, mm, ss, fff with literal escapes.
  let out = '';
  for (let i = 0; i < format.length; ) {
    const c = format[i]!;
    let n = 1;
    while (format[i + n] === c) n++;
    switch (c) {
      case 'd': out += pad(Number(days), n); break;
      case 'h': out += pad(h, n); break;
      case 'm': out += pad(m, n); break;
      case 's': out += pad(s, n); break;
      case 'f': out += pad(frac, 7).slice(0, n); break;
      case '\\': out += format[i + 1] ?? ''; i += 2; continue;
      case "'": {
        const close = format.indexOf("'", i + 1);
        out += format.slice(i + 1, close === -1 ? undefined : close);
        i = close === -1 ? format.length : close + 1;
        continue;
      }
      default: raise('System.FormatException', 'Input string was not in a correct format.');
    }
    i += n;
  }
  return out;
}

const monthIndex = new Map(monthNames.map((n, i) => [n.slice(0, 3).toLowerCase(), i + 1]));

/** Parses the date formats policies meet (ISO 8601, RFC 1123, invariant `MM/dd/yyyy HH:mm:ss`). */
export function parseDate(text: string): { ticks: bigint; offsetMinutes: number | undefined } | undefined {
  const s = text.trim();
  let m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,7}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i.exec(s);
  if (m) {
    const base = safeTicks(+m[1]!, +m[2]!, +m[3]!, +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0));
    if (base === undefined) return undefined;
    const frac = m[7] ? BigInt(m[7].padEnd(7, '0')) : 0n;
    return { ticks: base + frac, offsetMinutes: parseOffset(m[8]) };
  }
  m = /^(?:[A-Za-z]{3},\s*)?(\d{1,2})\s+([A-Za-z]{3})[a-z]*\s+(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?\s*(GMT|UTC|Z|[+-]\d{4})?$/.exec(s);
  if (m) {
    const month = monthIndex.get(m[2]!.toLowerCase());
    if (!month) return undefined;
    const base = safeTicks(+m[3]!, month, +m[1]!, +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0));
    if (base === undefined) return undefined;
    return { ticks: base, offsetMinutes: m[7] ? (/^[+-]/.test(m[7]) ? parseOffset(m[7]) : 0) : undefined };
  }
  m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(AM|PM)?)?$/i.exec(s);
  if (m) {
    let hour = +(m[4] ?? 0);
    if (m[7]) hour = (hour % 12) + (m[7].toUpperCase() === 'PM' ? 12 : 0);
    const base = safeTicks(+m[3]!, +m[1]!, +m[2]!, hour, +(m[5] ?? 0), +(m[6] ?? 0));
    return base === undefined ? undefined : { ticks: base, offsetMinutes: undefined };
  }
  return undefined;
}

function safeTicks(y: number, mo: number, d: number, h: number, mi: number, s: number): bigint | undefined {
  if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23 || mi > 59 || s > 59) return undefined;
  return ticksOf(y, mo, d, h, mi, s);
}

function parseOffset(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (text.toUpperCase() === 'Z') return 0;
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(text)!;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}

/** DateTime.Parse semantics: an explicit offset converts to local (UTC here) with Kind=Local. */
export function parseDateTime(text: string): DateTimeValue | undefined {
  const p = parseDate(text);
  if (!p) return undefined;
  if (p.offsetMinutes === undefined) return new DateTimeValue(p.ticks, 'Unspecified');
  return new DateTimeValue(p.ticks - BigInt(p.offsetMinutes) * 60n * ticksPerSecond, 'Local');
}

/** DateTimeOffset.Parse semantics: no offset means local (UTC here). */
export function parseDateTimeOffset(text: string): DateTimeOffsetValue | undefined {
  const p = parseDate(text);
  if (!p) return undefined;
  return new DateTimeOffsetValue(p.ticks, p.offsetMinutes ?? 0);
}

/** TimeSpan.Parse: `[-][d.]hh:mm[:ss[.fffffff]]` or a number of days. */
export function parseTimeSpan(text: string): TimeSpanValue | undefined {
  const s = text.trim();
  const m = /^(-)?(?:(\d+)\.)?(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.(\d{1,7}))?)?$/.exec(s) ??
    /^(-)?(\d+):(\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.(\d{1,7}))?$/.exec(s);
  if (m) {
    const [h, mi, sec] = [+m[3]!, +m[4]!, +(m[5] ?? 0)];
    if (h > 23 || mi > 59 || sec > 59) return undefined;
    let t = BigInt(m[2] ?? 0) * ticksPerDay + BigInt(h) * unitTicks.Hours + BigInt(mi) * unitTicks.Minutes + BigInt(sec) * ticksPerSecond;
    if (m[6]) t += BigInt(m[6].padEnd(7, '0'));
    return new TimeSpanValue(m[1] ? -t : t);
  }
  if (/^-?\d+$/.test(s)) return new TimeSpanValue(BigInt(s) * ticksPerDay);
  return undefined;
}

const exactStandard: Record<string, string> = {
  o: "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffffK",
  O: "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffffK",
  s: "yyyy'-'MM'-'dd'T'HH':'mm':'ss",
  u: "yyyy'-'MM'-'dd HH':'mm':'ss'Z'",
  r: "ddd, dd MMM yyyy HH':'mm':'ss 'GMT'",
  R: "ddd, dd MMM yyyy HH':'mm':'ss 'GMT'",
  d: 'MM/dd/yyyy',
  G: 'MM/dd/yyyy HH:mm:ss',
  g: 'MM/dd/yyyy HH:mm',
  t: 'HH:mm',
  T: 'HH:mm:ss',
};

/** DateTime.ParseExact with a .NET format string (invariant culture); undefined when it does not match. */
export function parseExactDate(text: string, format: string): DateTimeValue | undefined {
  const fmt = format.length === 1 ? exactStandard[format] : format;
  if (fmt === undefined) return undefined;
  let pattern = '';
  const parts: Array<{ kind: string; width: number }> = [];
  const group = (kind: string, width: number, re: string): void => {
    parts.push({ kind, width });
    pattern += `(${re})`;
  };
  for (let i = 0; i < fmt.length; ) {
    const c = fmt[i]!;
    let n = 1;
    while (fmt[i + n] === c) n++;
    switch (c) {
      case 'y': group('y', n, n <= 2 ? '\\d{1,2}' : `\\d{${n}}`); break;
      case 'M': group('M', n, n >= 3 ? '[A-Za-z]+' : n === 2 ? '\\d{2}' : '\\d{1,2}'); break;
      case 'd': if (n >= 3) group('ddd', n, '[A-Za-z]+'); else group('d', n, n === 2 ? '\\d{2}' : '\\d{1,2}'); break;
      case 'H': case 'h': case 'm': case 's': group(c, n, n === 2 ? '\\d{2}' : '\\d{1,2}'); break;
      case 'f': case 'F': group('f', n, c === 'f' ? `\\d{${n}}` : `\\d{0,${n}}`); break;
      case 't': group('t', n, n === 1 ? '[AaPp]' : '[AaPp][Mm]'); break;
      case 'K': case 'z': group('z', n, 'Z|[+-]\\d{1,2}(?::?\\d{2})?|'); break;
      case "'": case '"': {
        const close = fmt.indexOf(c, i + 1);
        if (close === -1) return undefined;
        pattern += fmt.slice(i + 1, close).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        i = close + 1;
        continue;
      }
      case '\\':
        pattern += (fmt[i + 1] ?? '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        i += 2;
        continue;
      default:
        pattern += c.repeat(n).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    }
    i += n;
  }
  const m = new RegExp(`^${pattern}$`).exec(text.trim());
  if (!m) return undefined;
  let year = 1, month = 1, day = 1, hour = 0, minute = 0, second = 0, frac = 0n, pm: boolean | undefined, offset: number | undefined;
  parts.forEach((p, idx) => {
    const v = m[idx + 1]!;
    switch (p.kind) {
      case 'y': year = p.width <= 2 ? 2000 + Number(v) - (Number(v) > 49 ? 100 : 0) : Number(v); break;
      case 'M': month = p.width >= 3 ? (monthIndexOf(v) ?? 0) : Number(v); break;
      case 'd': day = Number(v); break;
      case 'H': hour = Number(v); break;
      case 'h': hour = Number(v) % 12; break;
      case 'm': minute = Number(v); break;
      case 's': second = Number(v); break;
      case 'f': frac = v ? BigInt(v.padEnd(7, '0')) : 0n; break;
      case 't': pm = /^p/i.test(v); break;
      case 'z': offset = v === '' ? undefined : v.toUpperCase() === 'Z' ? 0 : parseOffsetText(v); break;
    }
  });
  if (pm !== undefined && pm) hour += 12;
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) return undefined;
  const ticks = ticksOf(year, month, day, hour, minute, second) + frac;
  if (offset === undefined) return new DateTimeValue(ticks, 'Unspecified');
  return new DateTimeValue(ticks - BigInt(offset) * 60n * ticksPerSecond, 'Local');
}

function monthIndexOf(name: string): number | undefined {
  const i = monthNames.findIndex((m) => m.toLowerCase() === name.toLowerCase() || m.slice(0, 3).toLowerCase() === name.toLowerCase());
  return i === -1 ? undefined : i + 1;
}

function parseOffsetText(v: string): number {
  const m = /^([+-])(\d{1,2})(?::?(\d{2}))?$/.exec(v)!;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0));
}
