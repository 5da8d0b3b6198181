/**
 * The values a Liquid template of set-body sees, in the shapes Azure's DotLiquid binding gives:
 * dictionaries (headers, query, matched parameters, variables) looked up case-insensitively and
 * iterated as `{ Key, Value }` pairs, URLs that print as their text and expose Scheme, Host,
 * Port, Path, Query, QueryString, and dates that print as .NET prints a DateTime and that the
 * `Date` filter formats with .NET format strings.
 */
import { Drop } from 'liquidjs';
import { display } from '../../expressions/runtime/display.js';
import { dateFromMs, DateTimeValue, DateTimeOffsetValue, formatDate, type DateKind } from '../../expressions/runtime/datetime.js';
import { JArray, JObject, JProperty, JValue, JToken } from '../../expressions/runtime/json.js';
import { DoubleValue } from '../../expressions/runtime/values.js';

/** One pair of a dictionary, as DotLiquid exposes a KeyValuePair. */
export interface LiquidPair {
  Key: string;
  Value: unknown;
}

/** A read-only dictionary with case-insensitive lookup (`Headers["content-type"]`) and pair iteration. */
export class LiquidDictionary extends Drop {
  readonly #pairs: LiquidPair[];
  constructor(pairs: LiquidPair[]) {
    super();
    this.#pairs = pairs;
  }
  override liquidMethodMissing(key: unknown): unknown {
    const name = String(key).toLowerCase();
    const pair = this.#pairs.find((p) => p.Key.toLowerCase() === name);
    if (pair) return pair.Value;
    if (name === 'size' || name === 'count') return this.#pairs.length;
    if (name === 'first') return this.#pairs[0];
    if (name === 'last') return this.#pairs[this.#pairs.length - 1];
    return undefined;
  }
  [Symbol.iterator](): Iterator<LiquidPair> {
    return this.#pairs[Symbol.iterator]();
  }
}

/** A date: prints as DateTime.ToString() does; the `Date` filter formats its ticks. */
export class LiquidDate extends Drop {
  constructor(
    readonly ticks: bigint,
    readonly offsetMinutes: number,
    readonly kind: DateKind,
    readonly isOffset: boolean,
  ) {
    super();
  }
  /** A date parsed from text (parseDate): with an offset it is a DateTimeOffset, without one a DateTime. */
  static fromParsed(parsed: { ticks: bigint; offsetMinutes: number | undefined }): LiquidDate {
    const offset = parsed.offsetMinutes;
    return new LiquidDate(parsed.ticks, offset ?? 0, offset === undefined ? 'Unspecified' : 'Local', offset !== undefined);
  }
  override valueOf(): string {
    return formatLiquidDate(this, 'G');
  }
}

/** A date in a .NET format string (invariant culture); a function, not a member a template could call. */
export function formatLiquidDate(date: LiquidDate, pattern: string): string {
  return formatDate(date.ticks, date.offsetMinutes, date.kind, pattern, date.isOffset);
}

/** A URL (IUrl): prints as its text. */
export class LiquidUrl extends Drop {
  readonly Scheme: string;
  readonly Host: string;
  readonly Port: number;
  readonly Path: string;
  readonly Query: LiquidDictionary;
  readonly QueryString: string;
  readonly ToUri: string;
  readonly ToString: string;
  constructor(url: { Scheme: string; Host: string; Port: number; Path: string; Query: ReadonlyArray<readonly [string, string]>; QueryString: string; Text: string }) {
    super();
    this.Scheme = url.Scheme;
    this.Host = url.Host;
    this.Port = url.Port;
    this.Path = url.Path;
    this.Query = dictionaryOfEntries(groupValues(url.Query));
    this.QueryString = url.QueryString;
    this.ToUri = url.Text;
    this.ToString = url.Text;
  }
  override valueOf(): string {
    return this.ToString;
  }
}

/** Repeated names grouped, in first-seen order (query strings, header lists). */
function groupValues(entries: ReadonlyArray<readonly [string, string]>): Array<[string, readonly string[]]> {
  const grouped = new Map<string, string[]>();
  for (const [name, value] of entries) {
    const values = grouped.get(name);
    if (values) values.push(value);
    else grouped.set(name, [value]);
  }
  return [...grouped];
}

/** A dictionary of string lists (headers, query), each value joined with commas as Azure's GetValueOrDefault does. */
export function dictionaryOfEntries(entries: ReadonlyArray<readonly [string, readonly string[]]>): LiquidDictionary {
  return new LiquidDictionary(entries.map(([name, values]) => ({ Key: name, Value: values.join(',') })));
}

/** A dictionary of a plain record. */
export function dictionaryOfRecord(record: Readonly<Record<string, unknown>>): LiquidDictionary {
  return new LiquidDictionary(Object.entries(record).map(([Key, Value]) => ({ Key, Value })));
}

/** The deepest nesting converted (JSON bodies, variables); a hostile document fails instead of overflowing the stack. */
export const maxLiquidDepth = 256;

/** An expression runtime value (a variable's content) as a Liquid value. */
export function liquidValueOf(value: unknown, depth = 0): unknown {
  if (depth > maxLiquidDepth) throw new Error(`The value is nested deeper than ${maxLiquidDepth} levels.`);
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'boolean' || typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof DoubleValue) return value.v;
  if (value instanceof DateTimeValue) return new LiquidDate(value.ticks, 0, value.kind, false);
  if (value instanceof DateTimeOffsetValue) return new LiquidDate(value.ticks, value.offsetMinutes, 'Local', true);
  if (value instanceof JToken) return tokenValue(value, depth);
  if (value instanceof Date) return liquidValueOf(dateFromMs(value.getTime(), 'Utc'), depth);
  if (Array.isArray(value)) return value.map((v) => liquidValueOf(v, depth + 1));
  return display(value);
}

function tokenValue(token: JToken, depth: number): unknown {
  if (token instanceof JValue) return liquidValueOf(token.value, depth + 1);
  if (token instanceof JProperty) return liquidValueOf(token.value, depth + 1);
  if (token instanceof JArray) return token.items.map((item) => tokenValue(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const p of (token as JObject).props.values()) out[p.name] = liquidValueOf(p.value, depth + 1);
  return out;
}
