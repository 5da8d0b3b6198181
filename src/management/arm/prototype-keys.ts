/**
 * The one key a parsed JSON object may hold that changes behaviour when copied: `__proto__`.
 * `JSON.parse` keeps it as an own property, but any later `copy[key] = value` sets the copy's
 * prototype instead, so its "properties" would be inherited, invisible to validation and to
 * `JSON.stringify` alike (issue 11 finding 8). No Azure resource has such a property, so request
 * bodies and configuration files that contain it anywhere are refused.
 */

/** The key refused anywhere in a request body or a configuration file. */
export const prototypeKey = '__proto__';

/** The path (`properties.tags.__proto__`, `value[2].__proto__`) of the first `__proto__` key in a parsed JSON value. */
export function findPrototypeKey(value: unknown): string | undefined {
  // Iterative: a hostile document may nest deeper than the call stack.
  const pending: Array<{ value: unknown; path: string }> = [{ value, path: '' }];
  while (pending.length > 0) {
    const next = pending.pop()!;
    if (next.value === null || typeof next.value !== 'object') continue;
    if (Array.isArray(next.value)) {
      next.value.forEach((item, i) => pending.push({ value: item, path: `${next.path}[${i}]` }));
      continue;
    }
    for (const [key, inner] of Object.entries(next.value)) {
      const path = next.path === '' ? key : `${next.path}.${key}`;
      if (key === prototypeKey) return path;
      pending.push({ value: inner, path });
    }
  }
  return undefined;
}

/** The message for a refused `__proto__` key. */
export function prototypeKeyMessage(path: string): string {
  return `Property '${path}' is not allowed: '${prototypeKey}' cannot be a property name.`;
}

/** Whether `record` holds `key` itself (not through its prototype, where `constructor` and `toString` live). */
export function hasOwnKey(record: object, key: string): boolean {
  return Object.hasOwn(record, key);
}

/** The value `record` holds itself under `key`; undefined when only its prototype has one. */
export function ownValue(record: object, key: string): unknown {
  return Object.hasOwn(record, key) ? (record as Record<string, unknown>)[key] : undefined;
}
