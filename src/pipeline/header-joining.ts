/**
 * How a header with several values goes on the wire (reference §1.7, set-header usage notes):
 * APIM joins the values into one comma-separated line, except for standard headers whose values
 * may themselves contain commas or dates; those are sent as repeated header lines.
 */
import type { HeaderMap } from './header-map.js';

/** Headers sent as one line per value (lower case). */
const repeatedHeaders: ReadonlySet<string> = new Set([
  // values may contain commas
  'user-agent',
  'www-authenticate',
  'proxy-authenticate',
  // values may contain dates
  'cookie',
  'set-cookie',
  'warning',
  // values are dates
  'date',
  'expires',
  'if-modified-since',
  'if-unmodified-since',
  'last-modified',
  'retry-after',
]);

/** True when the header's values are sent as repeated header lines instead of one joined line. */
export function isRepeatedHeader(name: string): boolean {
  return repeatedHeaders.has(name.toLowerCase());
}

/** The header lines to write for one header: `[v1,v2,v3]` joined, or each value for the exceptions. */
export function headerValuesForWire(name: string, values: readonly string[]): string[] {
  if (values.length <= 1 || isRepeatedHeader(name)) return [...values];
  return [values.join(',')];
}

/** A flat `name, value, name, value …` list for `writeHead`/undici with APIM's joining applied. */
export function wireHeaderList(headers: HeaderMap): string[] {
  const out: string[] = [];
  for (const [name, values] of headers) for (const value of headerValuesForWire(name, values)) out.push(name, value);
  return out;
}
