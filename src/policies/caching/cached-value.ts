/**
 * How cache-store-value keeps a value and cache-lookup-value gives it back with its type: a
 * string stays a string, an int an int, a JObject a JObject (a copy: changing what was looked
 * up never changes the cache). One encoding for the built-in and the Redis cache. A value of
 * another type (a date, a list) is kept as its string form (docs/policies/cache-store-value.md).
 */
import { expressionValueToString } from '../../expressions/index.js';
import { defaultLimits, Runtime } from '../../expressions/runtime/budget.js';
import { JToken, parseJson, writeJson } from '../../expressions/runtime/json.js';
import { DoubleValue } from '../../expressions/runtime/values.js';

/** A runtime for writing and reading JSON outside any expression; bounded like one. */
const jsonRuntime = (): Runtime => new Runtime(defaultLimits, () => Date.now());

/** The bytes kept for `value`: a one-letter type tag, then the value's text. */
export function encodeCachedValue(value: unknown): Buffer {
  if (value === null || value === undefined) return Buffer.from('n');
  if (typeof value === 'string') return Buffer.from('s' + value);
  if (typeof value === 'boolean') return Buffer.from(value ? 'b1' : 'b0');
  if (typeof value === 'number') return Buffer.from('i' + String(value));
  if (typeof value === 'bigint') return Buffer.from('l' + value.toString());
  if (value instanceof DoubleValue) return Buffer.from((value.single ? 'f' : 'd') + String(value.v));
  if (value instanceof JToken) return Buffer.from('j' + writeJson(value, false, jsonRuntime()));
  return Buffer.from('s' + expressionValueToString(value));
}

/** The value `bytes` hold; undefined for bytes this encoding did not write (a foreign Redis key). */
export function decodeCachedValue(bytes: Buffer): { value: unknown } | undefined {
  const text = bytes.toString('utf8');
  const body = text.slice(1);
  try {
    switch (text[0]) {
      case 'n':
        return { value: null };
      case 's':
        return { value: body };
      case 'b':
        return { value: body === '1' };
      case 'i':
        return { value: Number(body) };
      case 'l':
        return { value: BigInt(body) };
      case 'd':
        return { value: new DoubleValue(Number(body)) };
      case 'f':
        return { value: new DoubleValue(Number(body), true) };
      case 'j':
        return { value: parseJson(body, jsonRuntime()) };
      default:
        return undefined;
    }
  } catch {
    return undefined;
  }
}
