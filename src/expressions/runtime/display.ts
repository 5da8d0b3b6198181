/**
 * What `ToString()` gives for any runtime value (invariant culture), and each value's .NET type
 * name for messages and `GetType()`-free type tests.
 */
import {
  AnonymousObject, CharValue, DecimalValue, DictionaryValue, DoubleValue, EnumValue, GuidValue, HashSetValue,
  KeyValuePairValue, LambdaValue, ListValue, StringBuilderValue, TupleValue, TypeValue,
} from './values.js';
import { DateTimeOffsetValue, DateTimeValue, TimeSpanValue } from './datetime.js';
import { formatDouble } from './format-number.js';
import { JArray, JObject, JProperty, JToken, JValue } from './json.js';
import { HostObject } from './host-object.js';

/** A value's .NET ToString() (null gives '' as in string concatenation). */
export function display(v: unknown): string {
  if (v === null || v === undefined) return '';
  switch (typeof v) {
    case 'string': return v;
    case 'boolean': return v ? 'True' : 'False';
    case 'number': return String(v);
    case 'bigint': return v.toString();
  }
  if (v instanceof DoubleValue) return formatDouble(v.v, v.single);
  if (v instanceof DecimalValue) return v.toString();
  if (v instanceof JToken) return jsonDisplay(v);
  if (v instanceof KeyValuePairValue) return `[${display(v.key)}, ${display(v.value)}]`;
  // ValueTuple.ToString(): each element's ToString() (null as nothing) between parentheses.
  if (v instanceof TupleValue) return `(${v.items.map(display).join(', ')})`;
  if (v instanceof AnonymousObject) return `{ ${[...v.fields].map(([k, x]) => `${k} = ${display(x)}`).join(', ')} }`;
  if (v instanceof HostObject) return v.display();
  if (Array.isArray(v) || v instanceof Uint8Array || v instanceof ListValue || v instanceof DictionaryValue || v instanceof HashSetValue || v instanceof LambdaValue) {
    return typeNameOf(v);
  }
  if (v instanceof CharValue || v instanceof GuidValue || v instanceof EnumValue || v instanceof TypeValue || v instanceof StringBuilderValue ||
    v instanceof DateTimeValue || v instanceof DateTimeOffsetValue || v instanceof TimeSpanValue) return v.toString();
  return String(v);
}

// Filled in by json-members to avoid an import cycle (token display needs the runtime budget).
let jsonDisplayImpl: (t: JToken) => string = () => '';
/** Registers how JTokens print (set by json-members). */
export function setJsonDisplay(fn: (t: JToken) => string): void {
  jsonDisplayImpl = fn;
}
function jsonDisplay(t: JToken): string {
  return jsonDisplayImpl(t);
}

/** The .NET type name of a value (`System.Int32`, `Newtonsoft.Json.Linq.JObject` …). */
export function typeNameOf(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  switch (typeof v) {
    case 'string': return 'System.String';
    case 'boolean': return 'System.Boolean';
    case 'number': return 'System.Int32';
    case 'bigint': return 'System.Int64';
  }
  if (v instanceof DoubleValue) return v.single ? 'System.Single' : 'System.Double';
  if (v instanceof DecimalValue) return 'System.Decimal';
  if (v instanceof CharValue) return 'System.Char';
  if (v instanceof GuidValue) return 'System.Guid';
  if (v instanceof DateTimeValue) return 'System.DateTime';
  if (v instanceof DateTimeOffsetValue) return 'System.DateTimeOffset';
  if (v instanceof TimeSpanValue) return 'System.TimeSpan';
  if (v instanceof JValue) return 'Newtonsoft.Json.Linq.JValue';
  if (v instanceof JObject) return 'Newtonsoft.Json.Linq.JObject';
  if (v instanceof JArray) return 'Newtonsoft.Json.Linq.JArray';
  if (v instanceof JProperty) return 'Newtonsoft.Json.Linq.JProperty';
  if (v instanceof Uint8Array) return 'System.Byte[]';
  if (Array.isArray(v)) return v.length > 0 && v.every((x) => typeof x === 'string') ? 'System.String[]' : 'System.Object[]';
  if (v instanceof ListValue) return `System.Collections.Generic.List\`1[${elementFullName(v.elementType)}]`;
  if (v instanceof DictionaryValue) return `System.Collections.Generic.Dictionary\`2[${v.typeArgs.map(elementFullName).join(',')}]`;
  if (v instanceof HashSetValue) return 'System.Collections.Generic.HashSet`1[System.Object]';
  if (v instanceof KeyValuePairValue) return 'System.Collections.Generic.KeyValuePair`2';
  if (v instanceof EnumValue) return v.type;
  if (v instanceof StringBuilderValue) return 'System.Text.StringBuilder';
  if (v instanceof LambdaValue) return 'System.Func';
  if (v instanceof HostObject) return v.typeName;
  if (v instanceof AnonymousObject) return '<>f__AnonymousType';
  if (v instanceof TupleValue) {
    const elements = v.types ?? v.items.map((x) => (x === null || x === undefined ? 'System.Object' : typeNameOf(x)));
    return `System.ValueTuple\`${v.items.length}[${elements.join(',')}]`;
  }
  if (typeof v === 'object' && 'typeName' in v) return String((v as { typeName: string }).typeName);
  return 'System.Object';
}

const shortToFull: Record<string, string> = {
  string: 'System.String', int: 'System.Int32', long: 'System.Int64', object: 'System.Object', bool: 'System.Boolean',
  double: 'System.Double', JToken: 'Newtonsoft.Json.Linq.JToken', JObject: 'Newtonsoft.Json.Linq.JObject',
};
function elementFullName(t: string): string {
  return shortToFull[t] ?? t;
}
