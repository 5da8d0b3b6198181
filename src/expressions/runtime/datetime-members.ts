/** Members and statics of DateTime, DateTimeOffset and TimeSpan. */
import { raise } from '../errors.js';
import { DoubleValue, EnumValue, type OutSlot } from './values.js';
import {
  DateTimeOffsetValue, DateTimeValue, TimeSpanValue, addMonths, dateFromMs, dayOfWeekNames, daysInMonth, epochTicks, fields,
  formatDate, formatTimeSpan, isLeap, parseDateTime, parseExactDate, parseDateTimeOffset, parseTimeSpan, ticksFromUnit, ticksOf, ticksPerSecond,
  unitTicks,
} from './datetime.js';
import { compare } from './operators.js';
import { intArg, isOutSlot, longArg, noOverload, strArg, type MemberTable, type MethodImpl } from './member-table.js';
import { toNumber } from './values.js';

function num(v: unknown): number {
  const n = toNumber(v);
  if (Number.isNaN(n) && !(v instanceof DoubleValue)) raise('System.ArgumentException', 'A number was expected.');
  return n;
}

function dayOfWeek(ticks: bigint): EnumValue {
  const d = fields(ticks).dayOfWeek;
  return new EnumValue('System.DayOfWeek', dayOfWeekNames[d]!, d);
}

const adders = (make: (self: DateTimeValue | DateTimeOffsetValue, ticks: bigint) => unknown): Record<string, MethodImpl> => ({
  AddTicks: (s, a) => make(s, s.ticks + longArg(a[0], 'value')),
  AddMilliseconds: (s, a) => make(s, s.ticks + ticksFromUnit(num(a[0]), unitTicks.Milliseconds)),
  AddSeconds: (s, a) => make(s, s.ticks + ticksFromUnit(num(a[0]), unitTicks.Seconds)),
  AddMinutes: (s, a) => make(s, s.ticks + ticksFromUnit(num(a[0]), unitTicks.Minutes)),
  AddHours: (s, a) => make(s, s.ticks + ticksFromUnit(num(a[0]), unitTicks.Hours)),
  AddDays: (s, a) => make(s, s.ticks + ticksFromUnit(num(a[0]), unitTicks.Days)),
  AddMonths: (s, a) => make(s, addMonths(s.ticks, intArg(a[0], 'months'))),
  AddYears: (s, a) => make(s, addMonths(s.ticks, intArg(a[0], 'value') * 12)),
  Add: (s, a) => (a[0] instanceof TimeSpanValue ? make(s, s.ticks + a[0].ticks) : noOverload('Add', a)),
});

const dateParts = {
  Year: (d: { ticks: bigint }) => fields(d.ticks).year,
  Month: (d: { ticks: bigint }) => fields(d.ticks).month,
  Day: (d: { ticks: bigint }) => fields(d.ticks).day,
  Hour: (d: { ticks: bigint }) => fields(d.ticks).hour,
  Minute: (d: { ticks: bigint }) => fields(d.ticks).minute,
  Second: (d: { ticks: bigint }) => fields(d.ticks).second,
  Millisecond: (d: { ticks: bigint }) => fields(d.ticks).ms,
  DayOfWeek: (d: { ticks: bigint }) => dayOfWeek(d.ticks),
  DayOfYear: (d: { ticks: bigint }) => fields(d.ticks).dayOfYear,
  Ticks: (d: { ticks: bigint }) => d.ticks,
  TimeOfDay: (d: { ticks: bigint }) => new TimeSpanValue(d.ticks % unitTicks.Days),
};

/** Instance members: date time. */
export const dateTimeMembers: MemberTable = {
  props: {
    ...dateParts,
    Kind: (d: DateTimeValue) => new EnumValue('System.DateTimeKind', d.kind, d.kind === 'Unspecified' ? 0 : d.kind === 'Utc' ? 1 : 2),
    Date: (d: DateTimeValue) => new DateTimeValue(d.ticks - (d.ticks % unitTicks.Days), d.kind),
  },
  methods: {
    ...adders((s, t) => new DateTimeValue(t, (s as DateTimeValue).kind)),
    Subtract: (d: DateTimeValue, a) => {
      if (a[0] instanceof DateTimeValue) return new TimeSpanValue(d.ticks - a[0].ticks);
      if (a[0] instanceof TimeSpanValue) return new DateTimeValue(d.ticks - a[0].ticks, d.kind);
      return noOverload('Subtract', a);
    },
    ToString: (d: DateTimeValue, a) => formatDate(d.ticks, 0, d.kind, a.length && a[0] !== null ? strArg(a[0], 'format') : 'G', false),
    ToUniversalTime: (d: DateTimeValue) => new DateTimeValue(d.ticks, 'Utc'),
    ToLocalTime: (d: DateTimeValue) => new DateTimeValue(d.ticks, 'Local'),
    ToShortDateString: (d: DateTimeValue) => formatDate(d.ticks, 0, d.kind, 'd', false),
    ToShortTimeString: (d: DateTimeValue) => formatDate(d.ticks, 0, d.kind, 't', false),
    ToLongDateString: (d: DateTimeValue) => formatDate(d.ticks, 0, d.kind, 'D', false),
    ToLongTimeString: (d: DateTimeValue) => formatDate(d.ticks, 0, d.kind, 'T', false),
    ToFileTimeUtc: (d: DateTimeValue) => d.ticks - 504911232000000000n,
    ToBinary: (d: DateTimeValue) => d.ticks,
    CompareTo: (d: DateTimeValue, a) => compare(d, a[0]),
    Equals: (d: DateTimeValue, a) => a[0] instanceof DateTimeValue && a[0].ticks === d.ticks,
    GetHashCode: (d: DateTimeValue) => Number(d.ticks % 2147483647n),
  },
};

function offsetOf(d: DateTimeOffsetValue): TimeSpanValue {
  return new TimeSpanValue(BigInt(d.offsetMinutes) * unitTicks.Minutes);
}

/** Instance members: date time offset. */
export const dateTimeOffsetMembers: MemberTable = {
  props: {
    ...dateParts,
    Offset: offsetOf,
    UtcDateTime: (d: DateTimeOffsetValue) => new DateTimeValue(d.utcTicks, 'Utc'),
    DateTime: (d: DateTimeOffsetValue) => new DateTimeValue(d.ticks, 'Unspecified'),
    LocalDateTime: (d: DateTimeOffsetValue) => new DateTimeValue(d.utcTicks, 'Local'),
    UtcTicks: (d: DateTimeOffsetValue) => d.utcTicks,
    Date: (d: DateTimeOffsetValue) => new DateTimeValue(d.ticks - (d.ticks % unitTicks.Days), 'Unspecified'),
  },
  methods: {
    ...adders((s, t) => new DateTimeOffsetValue(t, (s as DateTimeOffsetValue).offsetMinutes)),
    Subtract: (d: DateTimeOffsetValue, a) => {
      if (a[0] instanceof DateTimeOffsetValue) return new TimeSpanValue(d.utcTicks - a[0].utcTicks);
      if (a[0] instanceof TimeSpanValue) return new DateTimeOffsetValue(d.ticks - a[0].ticks, d.offsetMinutes);
      return noOverload('Subtract', a);
    },
    ToUnixTimeSeconds: (d: DateTimeOffsetValue) => {
      const t = d.utcTicks - epochTicks;
      return t >= 0n ? t / ticksPerSecond : -((-t + ticksPerSecond - 1n) / ticksPerSecond);
    },
    ToUnixTimeMilliseconds: (d: DateTimeOffsetValue) => {
      const t = d.utcTicks - epochTicks;
      return t >= 0n ? t / 10000n : -((-t + 9999n) / 10000n);
    },
    ToUniversalTime: (d: DateTimeOffsetValue) => new DateTimeOffsetValue(d.utcTicks, 0),
    ToLocalTime: (d: DateTimeOffsetValue) => new DateTimeOffsetValue(d.utcTicks, 0),
    ToOffset: (d: DateTimeOffsetValue, a) => {
      if (!(a[0] instanceof TimeSpanValue)) return noOverload('ToOffset', a);
      const minutes = Number(a[0].ticks / unitTicks.Minutes);
      return new DateTimeOffsetValue(d.utcTicks + BigInt(minutes) * unitTicks.Minutes, minutes);
    },
    ToString: (d: DateTimeOffsetValue, a) => (a.length && a[0] !== null ? formatDate(d.ticks, d.offsetMinutes, 'Local', strArg(a[0], 'format'), true) : d.toString()),
    CompareTo: (d: DateTimeOffsetValue, a) => compare(d, a[0]),
    Equals: (d: DateTimeOffsetValue, a) => a[0] instanceof DateTimeOffsetValue && a[0].utcTicks === d.utcTicks,
  },
};

const total = (unit: bigint) => (t: TimeSpanValue) => new DoubleValue(Number(t.ticks) / Number(unit));

/** Instance members: time span. */
export const timeSpanMembers: MemberTable = {
  props: {
    Ticks: (t: TimeSpanValue) => t.ticks,
    Days: (t: TimeSpanValue) => Number(t.ticks / unitTicks.Days),
    Hours: (t: TimeSpanValue) => Number((t.ticks / unitTicks.Hours) % 24n),
    Minutes: (t: TimeSpanValue) => Number((t.ticks / unitTicks.Minutes) % 60n),
    Seconds: (t: TimeSpanValue) => Number((t.ticks / unitTicks.Seconds) % 60n),
    Milliseconds: (t: TimeSpanValue) => Number((t.ticks / unitTicks.Milliseconds) % 1000n),
    TotalDays: total(unitTicks.Days),
    TotalHours: total(unitTicks.Hours),
    TotalMinutes: total(unitTicks.Minutes),
    TotalSeconds: total(unitTicks.Seconds),
    TotalMilliseconds: total(unitTicks.Milliseconds),
  },
  methods: {
    Add: (t: TimeSpanValue, a) => (a[0] instanceof TimeSpanValue ? new TimeSpanValue(t.ticks + a[0].ticks) : noOverload('Add', a)),
    Subtract: (t: TimeSpanValue, a) => (a[0] instanceof TimeSpanValue ? new TimeSpanValue(t.ticks - a[0].ticks) : noOverload('Subtract', a)),
    Negate: (t: TimeSpanValue) => new TimeSpanValue(-t.ticks),
    Duration: (t: TimeSpanValue) => new TimeSpanValue(t.ticks < 0n ? -t.ticks : t.ticks),
    ToString: (t: TimeSpanValue, a) => formatTimeSpan(t.ticks, a.length && a[0] !== null ? strArg(a[0], 'format') : 'c'),
    CompareTo: (t: TimeSpanValue, a) => compare(t, a[0]),
    Equals: (t: TimeSpanValue, a) => a[0] instanceof TimeSpanValue && a[0].ticks === t.ticks,
  },
};

function tryParse<T>(args: unknown[], parse: (s: string) => T | undefined, fallback: T): boolean {
  const slot = args[args.length - 1];
  if (!isOutSlot(slot)) return noOverload('TryParse', args);
  const text = args[0];
  const v = typeof text === 'string' ? parse(text) : undefined;
  (slot as OutSlot).set(v ?? fallback);
  return v !== undefined;
}

const minDate = new DateTimeValue(0n);

/** ParseExact with one format or an array of formats. */
function exact(text: string, formats: unknown): DateTimeValue | undefined {
  const list = Array.isArray(formats) ? formats : [formats];
  for (const f of list) {
    const d = parseExactDate(text, strArg(f, 'format'));
    if (d) return d;
  }
  return undefined;
}

/** Static members: date time. */
export const dateTimeStatics: MemberTable = {
  props: {
    UtcNow: (_: unknown, rt) => dateFromMs(rt.now(), 'Utc'),
    Now: (_: unknown, rt) => dateFromMs(rt.now(), 'Local'),
    Today: (_: unknown, rt) => {
      const d = dateFromMs(rt.now(), 'Local');
      return new DateTimeValue(d.ticks - (d.ticks % unitTicks.Days), 'Local');
    },
    MinValue: () => minDate,
    MaxValue: () => new DateTimeValue(3155378975999999999n),
    UnixEpoch: () => new DateTimeValue(epochTicks, 'Utc'),
  },
  methods: {
    Parse: (_: unknown, a) => parseDateTime(strArg(a[0], 's')) ?? raise('System.FormatException', `String '${String(a[0])}' was not recognized as a valid DateTime.`),
    TryParse: (_: unknown, a) => tryParse(a, parseDateTime, minDate),
    ParseExact: (_: unknown, a) => exact(strArg(a[0], 's'), a[1]) ?? raise('System.FormatException', `String '${String(a[0])}' was not recognized as a valid DateTime.`),
    TryParseExact: (_: unknown, a) => tryParse(a, (s) => exact(s, a[1]), minDate),
    SpecifyKind: (_: unknown, a) => {
      const d = a[0] as DateTimeValue;
      const kind = (a[1] as EnumValue).name as DateTimeValue['kind'];
      return new DateTimeValue(d.ticks, kind);
    },
    DaysInMonth: (_: unknown, a) => daysInMonth(intArg(a[0], 'year'), intArg(a[1], 'month')),
    IsLeapYear: (_: unknown, a) => isLeap(intArg(a[0], 'year')),
    Compare: (_: unknown, a) => compare(a[0], a[1]),
    FromFileTimeUtc: (_: unknown, a) => new DateTimeValue(longArg(a[0], 'fileTime') + 504911232000000000n, 'Utc'),
  },
};

/** `new DateTime(y, m, d[, h, mi, s[, ms]][, kind])` / `new DateTime(ticks[, kind])`. */
export function constructDateTime(args: unknown[]): DateTimeValue {
  const kindArg = args.length > 0 && args[args.length - 1] instanceof EnumValue ? (args.pop() as EnumValue).name as DateTimeValue['kind'] : 'Unspecified';
  if (args.length === 1) return new DateTimeValue(longArg(args[0], 'ticks'), kindArg);
  const n = args.map((a) => intArg(a, 'value'));
  if (n.length !== 3 && n.length !== 6 && n.length !== 7) return noOverload('DateTime', args);
  return new DateTimeValue(ticksOf(n[0]!, n[1]!, n[2]!, n[3] ?? 0, n[4] ?? 0, n[5] ?? 0, n[6] ?? 0), kindArg);
}

/** Static members: date time offset. */
export const dateTimeOffsetStatics: MemberTable = {
  props: {
    UtcNow: (_: unknown, rt) => new DateTimeOffsetValue(dateFromMs(rt.now()).ticks, 0),
    Now: (_: unknown, rt) => new DateTimeOffsetValue(dateFromMs(rt.now()).ticks, 0),
    MinValue: () => new DateTimeOffsetValue(0n, 0),
    UnixEpoch: () => new DateTimeOffsetValue(epochTicks, 0),
  },
  methods: {
    FromUnixTimeSeconds: (_: unknown, a) => new DateTimeOffsetValue(epochTicks + longArg(a[0], 'value') * ticksPerSecond, 0),
    FromUnixTimeMilliseconds: (_: unknown, a) => new DateTimeOffsetValue(epochTicks + longArg(a[0], 'value') * 10000n, 0),
    Parse: (_: unknown, a) => parseDateTimeOffset(strArg(a[0], 'input')) ?? raise('System.FormatException', `String '${String(a[0])}' was not recognized as a valid DateTime.`),
    TryParse: (_: unknown, a) => tryParse(a, parseDateTimeOffset, new DateTimeOffsetValue(0n, 0)),
  },
};

/** `new DateTimeOffset(dateTime)` / `new DateTimeOffset(dateTime, offset)` / `(y,m,d,h,mi,s,offset)`. */
export function constructDateTimeOffset(args: unknown[]): DateTimeOffsetValue {
  if (args[0] instanceof DateTimeValue) {
    const minutes = args[1] instanceof TimeSpanValue ? Number(args[1].ticks / unitTicks.Minutes) : 0;
    return new DateTimeOffsetValue(args[0].ticks, minutes);
  }
  const off = args[args.length - 1];
  if (!(off instanceof TimeSpanValue)) return noOverload('DateTimeOffset', args);
  const n = args.slice(0, -1).map((a) => intArg(a, 'value'));
  return new DateTimeOffsetValue(ticksOf(n[0]!, n[1]!, n[2]!, n[3] ?? 0, n[4] ?? 0, n[5] ?? 0, n[6] ?? 0), Number(off.ticks / unitTicks.Minutes));
}

/** Static members: time span. */
export const timeSpanStatics: MemberTable = {
  props: {
    Zero: () => new TimeSpanValue(0n),
    MaxValue: () => new TimeSpanValue(9223372036854775807n),
    MinValue: () => new TimeSpanValue(-9223372036854775808n),
  },
  methods: {
    FromTicks: (_: unknown, a) => new TimeSpanValue(longArg(a[0], 'value')),
    FromMilliseconds: (_: unknown, a) => new TimeSpanValue(ticksFromUnit(num(a[0]), unitTicks.Milliseconds)),
    FromSeconds: (_: unknown, a) => new TimeSpanValue(ticksFromUnit(num(a[0]), unitTicks.Seconds)),
    FromMinutes: (_: unknown, a) => new TimeSpanValue(ticksFromUnit(num(a[0]), unitTicks.Minutes)),
    FromHours: (_: unknown, a) => new TimeSpanValue(ticksFromUnit(num(a[0]), unitTicks.Hours)),
    FromDays: (_: unknown, a) => new TimeSpanValue(ticksFromUnit(num(a[0]), unitTicks.Days)),
    Parse: (_: unknown, a) => parseTimeSpan(strArg(a[0], 's')) ?? raise('System.FormatException', `String '${String(a[0])}' was not recognized as a valid TimeSpan.`),
    TryParse: (_: unknown, a) => tryParse(a, parseTimeSpan, new TimeSpanValue(0n)),
    Compare: (_: unknown, a) => compare(a[0], a[1]),
  },
};

/** `new TimeSpan(ticks)` / `(h, m, s)` / `(d, h, m, s[, ms])`. */
export function constructTimeSpan(args: unknown[]): TimeSpanValue {
  if (args.length === 1) return new TimeSpanValue(longArg(args[0], 'ticks'));
  const n = args.map((a) => BigInt(intArg(a, 'value')));
  if (n.length === 3) return new TimeSpanValue(n[0]! * unitTicks.Hours + n[1]! * unitTicks.Minutes + n[2]! * unitTicks.Seconds);
  if (n.length === 4 || n.length === 5) {
    return new TimeSpanValue(n[0]! * unitTicks.Days + n[1]! * unitTicks.Hours + n[2]! * unitTicks.Minutes + n[3]! * unitTicks.Seconds + (n[4] ?? 0n) * unitTicks.Milliseconds);
  }
  return noOverload('TimeSpan', args);
}
