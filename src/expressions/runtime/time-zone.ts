/**
 * System.TimeZoneInfo over the IANA database in Intl.DateTimeFormat: Utc, Local (UTC in the
 * gateway), FindSystemTimeZoneById (IANA ids and the common Windows ids, mapped to IANA as the
 * CLDR table does), offsets, daylight saving time and conversions with .NET's rules for
 * DateTime kinds, ambiguous times (read as standard time) and invalid times.
 */
import { raise } from '../errors.js';
import { noOverload, strArg, type MemberTable } from './member-table.js';
import { DateTimeOffsetValue, DateTimeValue, epochTicks, TimeSpanValue, ticksPerSecond } from './datetime.js';
import type { Runtime } from './budget.js';

/** Windows time zone ids → IANA zones (CLDR windowsZones.xml, territory "001"). */
export const windowsZones: Record<string, string> = {
  'Dateline Standard Time': 'Etc/GMT+12',
  'UTC-11': 'Etc/GMT+11',
  'Hawaiian Standard Time': 'Pacific/Honolulu',
  'Alaskan Standard Time': 'America/Anchorage',
  'Pacific Standard Time': 'America/Los_Angeles',
  'US Mountain Standard Time': 'America/Phoenix',
  'Mountain Standard Time': 'America/Denver',
  'Central America Standard Time': 'America/Guatemala',
  'Central Standard Time': 'America/Chicago',
  'Central Standard Time (Mexico)': 'America/Mexico_City',
  'Canada Central Standard Time': 'America/Regina',
  'SA Pacific Standard Time': 'America/Bogota',
  'Eastern Standard Time': 'America/New_York',
  'Atlantic Standard Time': 'America/Halifax',
  'Newfoundland Standard Time': 'America/St_Johns',
  'E. South America Standard Time': 'America/Sao_Paulo',
  'Argentina Standard Time': 'America/Buenos_Aires',
  'Pacific SA Standard Time': 'America/Santiago',
  'UTC': 'Etc/UTC',
  'GMT Standard Time': 'Europe/London',
  'Greenwich Standard Time': 'Atlantic/Reykjavik',
  'W. Europe Standard Time': 'Europe/Berlin',
  'Central Europe Standard Time': 'Europe/Budapest',
  'Romance Standard Time': 'Europe/Paris',
  'Central European Standard Time': 'Europe/Warsaw',
  'W. Central Africa Standard Time': 'Africa/Lagos',
  'GTB Standard Time': 'Europe/Bucharest',
  'E. Europe Standard Time': 'Europe/Chisinau',
  'FLE Standard Time': 'Europe/Kiev',
  'Egypt Standard Time': 'Africa/Cairo',
  'South Africa Standard Time': 'Africa/Johannesburg',
  'Israel Standard Time': 'Asia/Jerusalem',
  'Turkey Standard Time': 'Europe/Istanbul',
  'Russian Standard Time': 'Europe/Moscow',
  'Arab Standard Time': 'Asia/Riyadh',
  'Arabian Standard Time': 'Asia/Dubai',
  'Iran Standard Time': 'Asia/Tehran',
  'Pakistan Standard Time': 'Asia/Karachi',
  'India Standard Time': 'Asia/Calcutta',
  'Nepal Standard Time': 'Asia/Katmandu',
  'Bangladesh Standard Time': 'Asia/Dhaka',
  'SE Asia Standard Time': 'Asia/Bangkok',
  'China Standard Time': 'Asia/Shanghai',
  'Singapore Standard Time': 'Asia/Singapore',
  'Taipei Standard Time': 'Asia/Taipei',
  'W. Australia Standard Time': 'Australia/Perth',
  'Tokyo Standard Time': 'Asia/Tokyo',
  'Korea Standard Time': 'Asia/Seoul',
  'Cen. Australia Standard Time': 'Australia/Adelaide',
  'AUS Central Standard Time': 'Australia/Darwin',
  'E. Australia Standard Time': 'Australia/Brisbane',
  'AUS Eastern Standard Time': 'Australia/Sydney',
  'Tasmania Standard Time': 'Australia/Hobart',
  'New Zealand Standard Time': 'Pacific/Auckland',
  'Tonga Standard Time': 'Pacific/Tongatapu',
};

const windowsByLowerCase = new Map(Object.keys(windowsZones).map((id) => [id.toLowerCase(), id]));

const msPerMinute = 60000;
const ticksPerMs = 10000n;
const ticksPerMinute = 60n * ticksPerSecond;

/** A time zone: its id as .NET reports it and the IANA zone behind it (null for UTC). */
export class TimeZoneInfoValue {
  readonly typeName = 'System.TimeZoneInfo';
  private formatter: Intl.DateTimeFormat | null = null;
  constructor(
    readonly id: string,
    readonly iana: string | null,
  ) {}
  /** True for the UTC zone (TimeZoneInfo.Utc, Local and "UTC"): Kind Utc/Local results. */
  get isUtc(): boolean {
    return this.iana === null;
  }
  toString(): string {
    return this.id;
  }
  valueKey(): string {
    return 'tz:' + this.id.toLowerCase();
  }
  /** Offset from UTC in minutes at an instant (epoch ms). */
  offsetAt(ms: number): number {
    if (this.iana === null) return 0;
    this.formatter ??= new Intl.DateTimeFormat('en-US', {
      timeZone: this.iana, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric', era: 'short',
    });
    const parts: Record<string, string> = {};
    for (const p of this.formatter.formatToParts(new Date(ms))) parts[p.type] = p.value;
    let year = Number(parts.year);
    if (parts.era === 'BC' || parts.era === 'B') year = 1 - year;
    const d = new Date(0);
    d.setUTCFullYear(year, Number(parts.month) - 1, Number(parts.day));
    d.setUTCHours(Number(parts.hour), Number(parts.minute), Number(parts.second), 0);
    const wholeSecond = Math.floor(ms / 1000) * 1000;
    // Offsets are whole minutes since the early 20th century; older local mean times are rounded.
    return Math.round((d.getTime() - wholeSecond) / msPerMinute);
  }
  /** The standard (non-DST) offset in the year of `ms`: the smaller of January's and July's. */
  standardOffset(ms: number): number {
    const year = new Date(ms).getUTCFullYear();
    return Math.min(this.offsetAt(Date.UTC(year, 0, 1)), this.offsetAt(Date.UTC(year, 6, 1)));
  }
}

/** The UTC instants (epoch ms) a wall-clock time in `zone` denotes: none (invalid), one or two (ambiguous, earlier first). */
function resolveWall(zone: TimeZoneInfoValue, wallMs: number): number[] {
  const day = 86400000;
  const offsets = new Set([zone.offsetAt(wallMs - day), zone.offsetAt(wallMs), zone.offsetAt(wallMs + day)]);
  const out: number[] = [];
  for (const o of offsets) {
    const t = wallMs - o * msPerMinute;
    if (zone.offsetAt(t) === o && !out.includes(t)) out.push(t);
  }
  return out.sort((a, b) => a - b);
}

function msOf(ticks: bigint): number {
  return Number((ticks - epochTicks) / ticksPerMs);
}

/** The instant a DateTime's wall time denotes in `zone`, .NET's way: ambiguous → standard time. */
function instantOf(zone: TimeZoneInfoValue, ticks: bigint): { utcTicks: bigint; ambiguous: boolean } | undefined {
  const wall = msOf(ticks);
  const found = resolveWall(zone, wall);
  if (found.length === 0) return undefined;
  const base = zone.standardOffset(wall);
  const pick = found.length > 1 ? (found.find((t) => zone.offsetAt(t) === base) ?? found[found.length - 1]!) : found[0]!;
  return { utcTicks: ticks - BigInt(Math.round((wall - pick) / msPerMinute)) * ticksPerMinute, ambiguous: found.length > 1 };
}

const utcZone = new TimeZoneInfoValue('UTC', null);

function invalidTime(): never {
  return raise('System.ArgumentException', "The supplied DateTime represents an invalid time.  For example, when the clock is adjusted forward, any time in the period that is skipped is invalid. (Parameter 'dateTime')");
}

function kindMismatch(): never {
  return raise('System.ArgumentException', "The conversion could not be completed because the supplied DateTime did not have the Kind property set correctly.  For example, when the Kind property is DateTimeKind.Local, the source time zone must be TimeZoneInfo.Local. (Parameter 'sourceTimeZone')");
}

/** `TimeZoneInfo.FindSystemTimeZoneById(id)`. */
export function findZone(idArg: unknown): TimeZoneInfoValue {
  const id = strArg(idArg, 'id');
  const notFound = (): never => raise('System.TimeZoneNotFoundException', `The time zone ID '${id}' was not found on the local computer.`);
  if (id.length === 0 || id.includes('\0')) return notFound();
  if (id.toLowerCase() === 'utc') return utcZone;
  const windows = windowsByLowerCase.get(id.toLowerCase());
  if (windows) return cachedZone(windows, windowsZones[windows]!);
  // Otherwise an IANA id (Intl's database; like ICU it ignores case). Offsets like "+01:00" are not zone ids.
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(id)) return notFound();
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: id });
  } catch {
    return notFound();
  }
  return cachedZone(id, id);
}

/** Zones by id (a bounded set: only ids Intl knows get in), so their formatters are built once. */
const zoneCache = new Map<string, TimeZoneInfoValue>();
function cachedZone(id: string, iana: string): TimeZoneInfoValue {
  let zone = zoneCache.get(id);
  if (!zone) {
    zone = new TimeZoneInfoValue(id, iana);
    zoneCache.set(id, zone);
  }
  return zone;
}

function zoneArg(v: unknown, param: string): TimeZoneInfoValue {
  if (v === null || v === undefined) return raise('System.ArgumentNullException', `Value cannot be null. (Parameter '${param}')`);
  if (!(v instanceof TimeZoneInfoValue)) return noOverload(param, [v]);
  return v;
}

function resultKind(zone: TimeZoneInfoValue): 'Utc' | 'Unspecified' {
  return zone.isUtc ? 'Utc' : 'Unspecified';
}

/** UTC ticks of a DateTime read in `source` (Utc/Local kinds must match a UTC source, as .NET checks). */
function toUtcTicks(d: DateTimeValue, source: TimeZoneInfoValue): bigint {
  if (d.kind !== 'Unspecified' && !source.isUtc) return kindMismatch();
  if (source.isUtc) return d.ticks;
  return (instantOf(source, d.ticks) ?? invalidTime()).utcTicks;
}

/** Wall-clock DateTime in `dest` for UTC ticks. */
function fromUtcTicks(utcTicks: bigint, dest: TimeZoneInfoValue, localKind = false): DateTimeValue {
  const offset = dest.offsetAt(msOf(utcTicks));
  return new DateTimeValue(utcTicks + BigInt(offset) * ticksPerMinute, localKind ? 'Local' : resultKind(dest));
}

function convertTime(args: unknown[]): unknown {
  const [value, a, b] = args;
  if (value instanceof DateTimeOffsetValue) {
    const dest = zoneArg(a, 'destinationTimeZone');
    return new DateTimeOffsetValue(value.utcTicks + BigInt(dest.offsetAt(msOf(value.utcTicks))) * ticksPerMinute, dest.offsetAt(msOf(value.utcTicks)));
  }
  if (!(value instanceof DateTimeValue)) return noOverload('ConvertTime', args);
  if (args.length === 2) {
    // Source: Utc for Kind Utc, else Local (UTC in the gateway).
    const dest = zoneArg(a, 'destinationTimeZone');
    return fromUtcTicks(value.ticks, dest, dest === localZone);
  }
  const source = zoneArg(a, 'sourceTimeZone');
  const dest = zoneArg(b, 'destinationTimeZone');
  return fromUtcTicks(toUtcTicks(value, source), dest, dest === localZone);
}

function dateArg(v: unknown, name: string, args: unknown[]): DateTimeValue {
  return v instanceof DateTimeValue ? v : noOverload(name, args);
}

const localZone = new TimeZoneInfoValue('UTC', null);

/** Offset at a DateTime, .NET's way: Unspecified is wall time in the zone; ambiguous/invalid → base offset. */
function offsetFor(zone: TimeZoneInfoValue, v: unknown): number {
  if (v instanceof DateTimeOffsetValue) return zone.offsetAt(msOf(v.utcTicks));
  if (!(v instanceof DateTimeValue)) return noOverload('GetUtcOffset', [v]);
  if (v.kind !== 'Unspecified') return zone.offsetAt(msOf(v.ticks));
  const found = instantOf(zone, v.ticks);
  if (!found || found.ambiguous) return zone.standardOffset(msOf(v.ticks));
  return zone.offsetAt(msOf(found.utcTicks));
}

function span(minutes: number): TimeSpanValue {
  return new TimeSpanValue(BigInt(minutes) * ticksPerMinute);
}

/** Static members: TimeZoneInfo. */
export const timeZoneStatics: MemberTable = {
  props: {
    Utc: () => utcZone,
    Local: () => localZone,
  },
  methods: {
    FindSystemTimeZoneById: (_: unknown, a) => findZone(a[0]),
    ConvertTime: (_: unknown, a) => convertTime(a),
    ConvertTimeFromUtc: (_: unknown, a) => {
      const d = dateArg(a[0], 'ConvertTimeFromUtc', a);
      // A Local DateTime is accepted: the gateway's local zone has UTC's rules.
      return fromUtcTicks(d.ticks, zoneArg(a[1], 'destinationTimeZone'));
    },
    ConvertTimeToUtc: (_: unknown, a) => {
      const d = dateArg(a[0], 'ConvertTimeToUtc', a);
      const source = a.length > 1 ? zoneArg(a[1], 'sourceTimeZone') : localZone;
      return new DateTimeValue(toUtcTicks(d, source), 'Utc');
    },
    ConvertTimeBySystemTimeZoneId: (_: unknown, a) => {
      if (a.length === 2) return convertTime([a[0], findZone(a[1])]);
      return convertTime([a[0], findZone(a[1]), findZone(a[2])]);
    },
  },
};

/** Instance members: TimeZoneInfo. */
export const timeZoneMembers: MemberTable = {
  props: {
    Id: (z: TimeZoneInfoValue) => z.id,
    BaseUtcOffset: (z: TimeZoneInfoValue, rt: Runtime) => span(z.standardOffset(rt.now())),
    SupportsDaylightSavingTime: (z: TimeZoneInfoValue, rt: Runtime) => {
      const year = new Date(rt.now()).getUTCFullYear();
      return z.offsetAt(Date.UTC(year, 0, 1)) !== z.offsetAt(Date.UTC(year, 6, 1));
    },
  },
  methods: {
    GetUtcOffset: (z: TimeZoneInfoValue, a) => span(offsetFor(z, a[0])),
    IsDaylightSavingTime: (z: TimeZoneInfoValue, a) => {
      const v = a[0];
      if (v instanceof DateTimeValue && v.kind === 'Unspecified') {
        const found = instantOf(z, v.ticks);
        if (!found || found.ambiguous) return false;
        return z.offsetAt(msOf(found.utcTicks)) !== z.standardOffset(msOf(v.ticks));
      }
      const ms = v instanceof DateTimeOffsetValue ? msOf(v.utcTicks) : msOf(dateArg(v, 'IsDaylightSavingTime', a).ticks);
      return z.offsetAt(ms) !== z.standardOffset(ms);
    },
    IsAmbiguousTime: (z: TimeZoneInfoValue, a) => {
      const d = dateArg(a[0], 'IsAmbiguousTime', a);
      if (d.kind !== 'Unspecified') {
        const wall = fromUtcTicks(d.ticks, z).ticks;
        return resolveWall(z, msOf(wall)).length > 1;
      }
      return resolveWall(z, msOf(d.ticks)).length > 1;
    },
    IsInvalidTime: (z: TimeZoneInfoValue, a) => {
      const d = dateArg(a[0], 'IsInvalidTime', a);
      return d.kind === 'Unspecified' && resolveWall(z, msOf(d.ticks)).length === 0;
    },
    Equals: (z: TimeZoneInfoValue, a) => a[0] instanceof TimeZoneInfoValue && a[0].id.toLowerCase() === z.id.toLowerCase(),
    HasSameRules: (z: TimeZoneInfoValue, a) => zoneArg(a[0], 'other').iana === z.iana,
    ToString: (z: TimeZoneInfoValue) => z.id,
  },
};
