/**
 * Enumeration of runtime values (foreach, LINQ, params arrays): strings yield chars, dictionaries
 * KeyValuePairs, JArray its items, JObject its properties (LINQ) or KeyValuePairs (foreach).
 */
import { raise } from '../errors.js';
import { CharValue, DictionaryValue, HashSetValue, KeyValuePairValue, ListValue } from './values.js';
import { JArray, JObject } from './json.js';
import { HostObject } from './host-object.js';
import { typeNameOf } from './display.js';
import type { Runtime } from './budget.js';

/** Host dictionaries (headers, query, matched parameters) expose their pairs through this. */
export interface PairSource {
  pairs(): Array<[string, unknown]>;
}

/** The elements of an enumerable value as an array (a copy). `forForeach` picks JObject's pairs. */
export function toArray(v: unknown, rt: Runtime, forForeach = false): unknown[] {
  if (v === null || v === undefined) return raise('System.ArgumentNullException', "Value cannot be null. (Parameter 'source')");
  // Strings and byte arrays become one element per unit: refuse before building an oversized copy.
  if (typeof v === 'string' || v instanceof Uint8Array) rt.checkSize(v.length);
  let out: unknown[];
  if (typeof v === 'string') out = Array.from({ length: v.length }, (_, i) => new CharValue(v.charCodeAt(i)));
  else if (Array.isArray(v)) out = v.slice();
  else if (v instanceof Uint8Array) out = Array.from(v);
  else if (v instanceof ListValue) out = v.items.slice();
  else if (v instanceof DictionaryValue) out = [...v.map.values()].map((e) => new KeyValuePairValue(e.key, e.value));
  else if (v instanceof HashSetValue) out = [...v.map.values()];
  else if (v instanceof JArray) out = v.items.slice();
  else if (v instanceof JObject) out = forForeach ? [...v.props.values()].map((p) => new KeyValuePairValue(p.name, p.value)) : [...v.props.values()];
  else if (v instanceof HostObject && v.type === 'Variables') {
    const vars = v.target as { names(): string[]; get(name: string): unknown };
    out = vars.names().map((name) => new KeyValuePairValue(name, vars.get(name)));
  } else if (v instanceof HostObject && typeof (v.target as Partial<PairSource>).pairs === 'function') {
    out = (v.target as PairSource).pairs().map(([k, x]) => new KeyValuePairValue(k, x));
  } else return raise('System.InvalidOperationException', `'${typeNameOf(v)}' is not enumerable.`);
  rt.checkSize(out.length);
  rt.work(out.length);
  return out;
}
