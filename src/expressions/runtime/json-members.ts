/**
 * Members of JToken/JObject/JArray/JProperty/JValue, their static factories (Parse, FromObject)
 * and JsonConvert — the Newtonsoft surface APIM allows.
 */
import { raise } from '../errors.js';
import { DictionaryValue, DoubleValue, EnumValue, ListValue, type OutSlot } from './values.js';
import {
  JArray, JObject, JProperty, JToken, JValue, deepClone, parseJson, selectTokens, toToken, tokenToString, tokenType, writeJson,
} from './json.js';
import { display, setJsonDisplay } from './display.js';
import { convertForGeneric, fromJToken } from './convert.js';
import { argumentOutOfRange } from './collections.js';
import { intArg, isOutSlot, noOverload, strArg, type CallSite, type MemberTable } from './member-table.js';
import { toArray } from './sequence.js';
import { objectEquals } from './operators.js';
import { Runtime, defaultLimits } from './budget.js';
import { simpleType, type RtType } from './rt-type.js';

let displayRuntime: Runtime | undefined;
/** Token display needs a budget for big documents; the evaluator sets the current one. */
export function setDisplayRuntime(rt: Runtime | undefined): void {
  displayRuntime = rt;
}
setJsonDisplay((t) => tokenToString(t, displayRuntime ?? new Runtime(defaultLimits, Date.now), display));

function formattingIndented(v: unknown): boolean {
  return v instanceof EnumValue ? v.name === 'Indented' : true;
}

function childAt(token: JToken, key: unknown): JToken | null {
  if (token instanceof JObject) {
    if (typeof key !== 'string') return raise('System.ArgumentException', `Accessed JObject values with invalid key value: ${display(key)}. Object property name expected.`);
    return token.props.get(key)?.value ?? null;
  }
  if (token instanceof JArray) {
    if (typeof key !== 'number') return raise('System.ArgumentException', `Accessed JArray values with invalid key value: ${JSON.stringify(display(key))}. Int32 array index expected.`);
    if (key < 0 || key >= token.items.length) argumentOutOfRange();
    return token.items[key]!;
  }
  if (token instanceof JProperty) return raise('System.InvalidOperationException', `Cannot access child value on Newtonsoft.Json.Linq.JProperty.`);
  return raise('System.InvalidOperationException', 'Cannot access child value on Newtonsoft.Json.Linq.JValue.');
}

/** `token[key]`. */
export function indexToken(token: JToken, key: unknown): JToken | null {
  return childAt(token, key);
}

/** `token[key] = value`. */
export function assignToken(token: JToken, key: unknown, value: unknown, rt: Runtime): void {
  if (token instanceof JObject && typeof key === 'string') {
    if (!token.props.has(key)) rt.checkSize(token.props.size + 1);
    token.set(key, toToken(value, rt));
    return;
  }
  if (token instanceof JArray && typeof key === 'number') {
    if (key < 0 || key >= token.items.length) argumentOutOfRange();
    const t = toToken(value, rt);
    token.items[key] = t;
    t.parent = token;
    return;
  }
  raise('System.InvalidOperationException', `Cannot set child value on ${display(tokenType(token))} token.`);
}

function children(token: JToken): JToken[] {
  if (token instanceof JObject) return [...token.props.values()];
  if (token instanceof JArray) return token.items.slice();
  if (token instanceof JProperty) return [token.value];
  return [];
}

function valueAs(token: JToken | null, t: RtType | undefined, rt: Runtime): unknown {
  if (token === null) return null;
  if (!t) return token instanceof JValue ? token.value : token;
  return convertForGeneric(token, t, rt);
}

function removeFromParent(token: JToken): void {
  const p = token.parent;
  if (p instanceof JObject && token instanceof JProperty) p.props.delete(token.name);
  else if (p instanceof JArray) {
    const i = p.items.indexOf(token);
    if (i >= 0) p.items.splice(i, 1);
  } else if (p instanceof JProperty) raise('System.InvalidOperationException', 'Cannot add or remove items from Newtonsoft.Json.Linq.JProperty.');
  else raise('System.InvalidOperationException', 'The parent is missing.');
  token.parent = null;
}

function addContent(target: JToken, value: unknown, rt: Runtime): void {
  if (target instanceof JArray) {
    rt.checkSize(target.items.length + 1);
    target.push(toToken(value, rt));
    return;
  }
  if (target instanceof JObject) {
    if (value instanceof JProperty) return target.add(value);
    if (value instanceof JObject) {
      for (const p of value.props.values()) target.add(new JProperty(p.name, p.value));
      return;
    }
    if (Array.isArray(value) || value instanceof ListValue) {
      for (const v of toArray(value, rt)) addContent(target, v, rt);
      return;
    }
    return raise('System.ArgumentException', `Can not add ${display(toToken(value, rt) instanceof JValue ? 'Newtonsoft.Json.Linq.JValue' : 'token')} to Newtonsoft.Json.Linq.JObject.`);
  }
  raise('System.InvalidOperationException', 'Cannot add items to this token.');
}

/** Instance members: jtoken. */
export const jtokenMembers: MemberTable = {
  props: {
    Type: (t: JToken) => new EnumValue('Newtonsoft.Json.Linq.JTokenType', tokenType(t), 0),
    HasValues: (t: JToken) => children(t).length > 0,
    Count: (t: JToken) => (t instanceof JObject ? t.props.size : t instanceof JArray ? t.items.length : raise('System.InvalidOperationException', 'Count is not available on this token.')),
    First: (t: JToken) => children(t)[0] ?? null,
    Last: (t: JToken) => children(t).at(-1) ?? null,
    Parent: (t: JToken) => t.parent,
    Root: (t: JToken) => {
      let r = t;
      while (r.parent) r = r.parent;
      return r;
    },
    Next: (t: JToken) => {
      const siblings = t.parent ? children(t.parent) : [];
      return siblings[siblings.indexOf(t) + 1] ?? null;
    },
    Previous: (t: JToken) => {
      const siblings = t.parent ? children(t.parent) : [];
      const i = siblings.indexOf(t);
      return i > 0 ? siblings[i - 1]! : null;
    },
    Path: (t: JToken) => {
      const parts: string[] = [];
      let cur: JToken | null = t;
      while (cur && cur.parent) {
        if (cur instanceof JProperty) parts.unshift(/^[A-Za-z_][\w]*$/.test(cur.name) ? cur.name : `['${cur.name}']`);
        else if (cur.parent instanceof JArray) parts.unshift(`[${cur.parent.items.indexOf(cur)}]`);
        cur = cur.parent;
      }
      return parts.join('.').replace(/\.\[/g, '[');
    },
    Name: (t: JToken) => (t instanceof JProperty ? t.name : raise('System.InvalidOperationException', "'Name' is only available on JProperty.")),
    Value: (t: JToken) => (t instanceof JProperty ? t.value : t instanceof JValue ? t.value : raise('System.InvalidOperationException', "'Value' is only available on JProperty and JValue.")),
  },
  methods: {
    ToString(t: JToken, args, site) {
      if (args.length === 0) return tokenToString(t, site.rt, display);
      if (t instanceof JValue) return display(t.value);
      return writeJson(t, formattingIndented(args[0]), site.rt);
    },
    Value(t: JToken, args, site) {
      if (args.length === 0) return valueAs(t, site.typeArgs[0], site.rt);
      return valueAs(childAt(t, args[0]), site.typeArgs[0], site.rt);
    },
    Values(t: JToken, args, site) {
      const items = args.length ? (childAt(t, args[0]) ? children(childAt(t, args[0])!) : []) : children(t);
      return items.map((c) => valueAs(c instanceof JProperty ? c.value : c, site.typeArgs[0], site.rt));
    },
    ToObject(t: JToken, _args, site) {
      const target = site.typeArgs[0] ?? simpleType('object');
      return toObject(t, target, site.rt);
    },
    SelectToken(t: JToken, args) {
      const found = selectTokens(t, strArg(args[0], 'path'));
      if (found.length > 1) raise('Newtonsoft.Json.JsonException', 'Path returned multiple tokens.');
      if (found.length === 0 && args[1] === true) raise('Newtonsoft.Json.JsonException', `Path '${String(args[0])}' does not exist.`);
      return found[0] ?? null;
    },
    SelectTokens: (t: JToken, args) => selectTokens(t, strArg(args[0], 'path')),
    Children: (t: JToken) => children(t),
    Properties: (t: JToken) => (t instanceof JObject ? [...t.props.values()] : raise('System.InvalidOperationException', 'Properties() is only available on JObject.')),
    Property: (t: JToken, args) => (t instanceof JObject ? t.props.get(strArg(args[0], 'name')) ?? null : noOverload('Property', args)),
    DeepClone: (t: JToken) => deepClone(t),
    Remove(t: JToken, args) {
      if (args.length === 0) {
        removeFromParent(t);
        return undefined;
      }
      if (t instanceof JObject) {
        const p = t.props.get(strArg(args[0], 'propertyName'));
        if (!p) return false;
        t.props.delete(p.name);
        p.parent = null;
        return true;
      }
      if (t instanceof JArray) {
        const i = t.items.findIndex((x) => x === args[0]);
        if (i < 0) return false;
        t.items.splice(i, 1);
        return true;
      }
      return noOverload('Remove', args);
    },
    RemoveAt(t: JToken, args) {
      if (!(t instanceof JArray)) return noOverload('RemoveAt', args);
      const i = intArg(args[0], 'index');
      if (i < 0 || i >= t.items.length) argumentOutOfRange();
      t.items.splice(i, 1);
    },
    Add(t: JToken, args, site) {
      if (t instanceof JObject && args.length === 2) {
        t.add(new JProperty(strArg(args[0], 'propertyName'), toToken(args[1], site.rt)));
        return;
      }
      addContent(t, args[0], site.rt);
    },
    AddFirst(t: JToken, args, site) {
      if (t instanceof JArray) {
        const tok = toToken(args[0], site.rt);
        t.items.unshift(tok);
        tok.parent = t;
        return;
      }
      if (t instanceof JObject && args[0] instanceof JProperty) {
        const entries = [...t.props.values()];
        t.props.clear();
        t.add(args[0]);
        for (const p of entries) t.props.set(p.name, p);
        return;
      }
      noOverload('AddFirst', args);
    },
    Insert(t: JToken, args, site) {
      if (!(t instanceof JArray)) return noOverload('Insert', args);
      const tok = toToken(args[1], site.rt);
      tok.parent = t;
      t.items.splice(intArg(args[0], 'index'), 0, tok);
    },
    Replace(t: JToken, args, site) {
      const p = t.parent;
      const tok = toToken(args[0], site.rt);
      if (p instanceof JProperty) p.value = tok;
      else if (p instanceof JArray) {
        p.items[p.items.indexOf(t)] = tok;
        tok.parent = p;
      } else if (p instanceof JObject && t instanceof JProperty && tok instanceof JProperty) {
        const entries = [...p.props.values()].map((x) => (x === t ? tok : x));
        p.props.clear();
        for (const e of entries) {
          e.parent = p;
          p.props.set(e.name, e);
        }
      } else raise('System.InvalidOperationException', 'The parent is missing.');
    },
    ContainsKey: (t: JToken, args) => (t instanceof JObject ? t.props.has(strArg(args[0], 'propertyName')) : noOverload('ContainsKey', args)),
    TryGetValue(t: JToken, args) {
      if (!(t instanceof JObject) || !isOutSlot(args[1])) return noOverload('TryGetValue', args);
      const p = t.props.get(strArg(args[0], 'propertyName'));
      (args[1] as OutSlot).set(p ? p.value : null);
      return p !== undefined;
    },
    GetValue(t: JToken, args) {
      if (!(t instanceof JObject)) return noOverload('GetValue', args);
      const name = strArg(args[0], 'propertyName');
      if (args.length > 1 && args[1] instanceof EnumValue && args[1].name.endsWith('IgnoreCase')) {
        for (const p of t.props.values()) if (p.name.toLowerCase() === name.toLowerCase()) return p.value;
        return null;
      }
      return t.props.get(name)?.value ?? null;
    },
    IndexOf: (t: JToken, args) => (t instanceof JArray ? t.items.indexOf(args[0] as JToken) : noOverload('IndexOf', args)),
    Contains: (t: JToken, args) => (t instanceof JArray ? t.items.includes(args[0] as JToken) : noOverload('Contains', args)),
    Clear(t: JToken, args) {
      if (t instanceof JArray) t.items.length = 0;
      else if (t instanceof JObject) t.props.clear();
      else noOverload('Clear', args);
    },
    Merge(t: JToken, args, site) {
      if (!(t instanceof JObject) || !(args[0] instanceof JObject)) return noOverload('Merge', args);
      merge(t, args[0], site.rt);
    },
    Equals: (t: JToken, args) => t === args[0],
    GetHashCode: () => 0,
  },
};

function merge(into: JObject, from: JObject, rt: Runtime): void {
  for (const p of from.props.values()) {
    const existing = into.props.get(p.name)?.value;
    if (existing instanceof JObject && p.value instanceof JObject) merge(existing, p.value, rt);
    else if (existing instanceof JArray && p.value instanceof JArray) for (const item of p.value.items) existing.push(deepClone(item));
    else if (!(p.value instanceof JValue && p.value.jtype === 'Null' && existing)) into.set(p.name, deepClone(p.value));
  }
}

/** ToObject<T> / DeserializeObject<T>: tokens into runtime collections or scalars. */
function toObject(t: JToken, target: RtType, rt: Runtime): unknown {
  if (['JToken', 'JObject', 'JArray', 'JValue', 'object'].includes(target.name) && target.arrayRank === 0) {
    if (target.name === 'object' || target.name === 'JToken') return t;
    if (target.name === 'JObject' && t instanceof JObject) return t;
    if (target.name === 'JArray' && t instanceof JArray) return t;
    if (target.name === 'JValue' && t instanceof JValue) return t;
    return raise('System.InvalidCastException', `Unable to cast object of type '${t.typeName}' to type 'Newtonsoft.Json.Linq.${target.name}'.`);
  }
  if (target.arrayRank > 0 || target.name === 'List' || target.name === 'IEnumerable' || target.name === 'IList') {
    if (!(t instanceof JArray)) return raise('Newtonsoft.Json.JsonSerializationException', `Cannot deserialize the current JSON object into type '${target.name}'.`);
    const el = target.arrayRank > 0 ? { ...target, arrayRank: target.arrayRank - 1 } : target.args[0] ?? simpleType('object');
    const items = t.items.map((x) => toObject(x, el, rt));
    return target.arrayRank > 0 ? items : new ListValue(items, el.name);
  }
  if (target.name === 'Dictionary' || target.name === 'IDictionary') {
    if (!(t instanceof JObject)) return raise('Newtonsoft.Json.JsonSerializationException', `Cannot deserialize the current JSON array into type 'Dictionary'.`);
    const valueType = target.args[1] ?? simpleType('object');
    const d = new DictionaryValue(false, false, [target.args[0]?.name ?? 'string', valueType.name]);
    for (const p of t.props.values()) d.set(p.name, toObject(p.value, valueType, rt));
    return d;
  }
  if (t instanceof JValue && t.jtype === 'Null') return null;
  return fromJToken(t, target, rt);
}

function parseAs(kind: 'JObject' | 'JArray' | 'JToken', text: unknown, rt: Runtime): JToken {
  const token = parseJson(strArg(text, 'json'), rt);
  if (kind === 'JObject' && !(token instanceof JObject)) {
    raise('Newtonsoft.Json.JsonReaderException', `Error reading JObject from JsonReader. Current JsonReader item is not an object: ${token instanceof JArray ? 'StartArray' : tokenType(token)}. Path '', line 1, position 1.`);
  }
  if (kind === 'JArray' && !(token instanceof JArray)) {
    raise('Newtonsoft.Json.JsonReaderException', `Error reading JArray from JsonReader. Current JsonReader item is not an array: ${token instanceof JObject ? 'StartObject' : tokenType(token)}. Path '', line 1, position 1.`);
  }
  return token;
}

function fromObject(kind: 'JObject' | 'JArray' | 'JToken', v: unknown, rt: Runtime): JToken {
  if (v === null) return raise('System.ArgumentNullException', "Value cannot be null. (Parameter 'o')");
  const token = toToken(v instanceof JToken ? deepClone(v) : v, rt);
  if (kind === 'JObject' && !(token instanceof JObject)) return raise('System.ArgumentException', `Object serialized to ${tokenType(token)}. JObject instance expected.`);
  if (kind === 'JArray' && !(token instanceof JArray)) return raise('System.ArgumentException', `Object serialized to ${tokenType(token)}. JArray instance expected.`);
  return token;
}

const statics = (kind: 'JObject' | 'JArray' | 'JToken'): MemberTable => ({
  methods: {
    Parse: (_: unknown, args, site: CallSite) => parseAs(kind, args[0], site.rt),
    FromObject: (_: unknown, args, site: CallSite) => fromObject(kind, args[0], site.rt),
    ...(kind === 'JToken' ? { DeepEquals: (_: unknown, args: unknown[], site: CallSite) => deepEquals(args[0], args[1], site.rt) } : {}),
    ...(kind === 'JObject' ? {} : {}),
  },
});

function deepEquals(a: unknown, b: unknown, rt: Runtime): boolean {
  if (a === null || b === null) return a === b;
  return writeJson(toToken(a, rt), false, rt) === writeJson(toToken(b, rt), false, rt);
}

export const jobjectStatics = statics('JObject');
export const jarrayStatics = statics('JArray');
export const jtokenStatics = statics('JToken');

/** `new JObject(...)`, `new JArray(...)`, `new JProperty(name, value)`, `new JValue(v)`. */
export function constructJson(type: string, args: unknown[], rt: Runtime): JToken {
  switch (type) {
    case 'JObject': {
      const o = new JObject();
      for (const a of args) addContent(o, a instanceof JObject ? a : a, rt);
      return o;
    }
    case 'JArray': {
      const arr = new JArray();
      for (const a of args) {
        if (Array.isArray(a) || a instanceof ListValue) for (const x of toArray(a, rt)) arr.push(toToken(x, rt));
        else if (a instanceof JArray) for (const x of a.items) arr.push(x);
        else arr.push(toToken(a, rt));
      }
      return arr;
    }
    case 'JProperty': {
      const name = strArg(args[0], 'name');
      if (args.length > 2) {
        const arr = new JArray();
        for (const a of args.slice(1)) arr.push(toToken(a, rt));
        return new JProperty(name, arr);
      }
      return new JProperty(name, toToken(args.length > 1 ? args[1] : null, rt));
    }
    case 'JValue':
      return toToken(args[0] ?? null, rt) instanceof JValue ? (toToken(args[0] ?? null, rt) as JValue) : raise('System.ArgumentException', 'Could not determine JSON object type.');
  }
  return noOverload(type, args);
}

/** Static members: json convert. */
export const jsonConvertStatics: MemberTable = {
  methods: {
    SerializeObject(_: unknown, args, site) {
      const v = args[0] ?? null;
      const indented = args.length > 1 && args[1] instanceof EnumValue && args[1].name === 'Indented';
      if (typeof v === 'string') return JSON.stringify(v);
      return writeJson(toToken(v, site.rt), indented, site.rt);
    },
    DeserializeObject(_: unknown, args, site) {
      const text = args[0];
      if (text === null) return raise('System.ArgumentNullException', "Value cannot be null. (Parameter 'value')");
      const token = parseJson(strArg(text, 'value'), site.rt);
      const t = site.typeArgs[0];
      if (!t) return token instanceof JValue ? token.value : token;
      return toObject(token, t, site.rt);
    },
  },
};

/** Equality on tokens used by Contains etc. (reference, like Newtonsoft's default). */
export function tokenEquals(a: unknown, b: unknown): boolean {
  return objectEquals(a, b);
}

export { DoubleValue };
