/**
 * Case-insensitive, order-keeping header collection for requests and responses as policies see
 * them (`context.Request.Headers`). Values are kept as lists; `get` joins them with commas as
 * APIM's `GetValueOrDefault` does.
 */

export interface HeaderEntry {
  name: string;
  values: string[];
}

/** A header's values as one string (`get`'s answer); a single value, the usual case, is not copied. */
export function joinHeaderValues(values: readonly string[]): string {
  return values.length === 1 ? values[0]! : values.join(',');
}

export class HeaderMap {
  private readonly entries = new Map<string, HeaderEntry>();

  /** Builds a map from Node's `rawHeaders` list (name, value, name, value …). */
  static fromRaw(raw: readonly string[]): HeaderMap {
    const map = new HeaderMap();
    for (let i = 0; i + 1 < raw.length; i += 2) map.append(raw[i]!, raw[i + 1]!);
    return map;
  }

  /** Builds a map from a plain object (Node or undici style). */
  static fromObject(headers: Record<string, string | string[] | undefined>): HeaderMap {
    const map = new HeaderMap();
    for (const [name, value] of Object.entries(headers)) {
      if (value === undefined) continue;
      if (Array.isArray(value)) for (const v of value) map.append(name, v);
      else map.append(name, value);
    }
    return map;
  }

  has(name: string): boolean {
    return this.entries.has(name.toLowerCase());
  }

  /** All values joined with ",", or undefined when absent. */
  get(name: string): string | undefined {
    const entry = this.entries.get(name.toLowerCase());
    return entry ? joinHeaderValues(entry.values) : undefined;
  }

  /** The first value, or undefined when absent (framing headers, where Node keeps the first). */
  first(name: string): string | undefined {
    return this.entries.get(name.toLowerCase())?.values[0];
  }

  /** The individual values (empty when absent). */
  getAll(name: string): string[] {
    return this.entries.get(name.toLowerCase())?.values.slice() ?? [];
  }

  /** Replaces every value of a header. */
  set(name: string, values: string | readonly string[]): void {
    const list = typeof values === 'string' ? [values] : [...values];
    this.entries.set(name.toLowerCase(), { name, values: list });
  }

  /** Adds a value, keeping existing ones. */
  append(name: string, value: string): void {
    this.appendLowerCased(name.toLowerCase(), name, value);
  }

  /**
   * `append` for a caller that has lower-cased the name already (to test it against a set of
   * names first): `lowerName` must be `name.toLowerCase()`.
   */
  appendLowerCased(lowerName: string, name: string, value: string): void {
    const entry = this.entries.get(lowerName);
    if (entry) entry.values.push(value);
    else this.entries.set(lowerName, { name, values: [value] });
  }

  delete(name: string): boolean {
    return this.entries.delete(name.toLowerCase());
  }

  /** Header names as first seen. */
  names(): string[] {
    return [...this.entries.values()].map((e) => e.name);
  }

  /** Iterates (name, values) pairs. */
  *[Symbol.iterator](): IterableIterator<[string, string[]]> {
    for (const entry of this.entries.values()) yield [entry.name, entry.values];
  }

  /**
   * Iterates (lower-cased name, entry) without copying, for the forwarder and the response
   * writer on the hot path. The entries are live: callers must not change them.
   */
  keyedEntries(): IterableIterator<[string, Readonly<HeaderEntry>]> {
    return this.entries.entries();
  }

  get size(): number {
    return this.entries.size;
  }

  clone(): HeaderMap {
    const copy = new HeaderMap();
    for (const [key, entry] of this.entries) copy.entries.set(key, { name: entry.name, values: entry.values.slice() });
    return copy;
  }

  /** A flat list for undici / `writeHead`: name, value, name, value … */
  toFlatList(): string[] {
    const out: string[] = [];
    for (const entry of this.entries.values()) for (const v of entry.values) out.push(entry.name, v);
    return out;
  }
}
