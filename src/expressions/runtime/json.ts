/**
 * The Newtonsoft.Json.Linq model (JToken, JObject, JArray, JProperty, JValue) as thin classes
 * over JSON: a parser that keeps integers apart from floats and reads ISO dates as dates (as
 * JsonTextReader does by default), and a writer matching Newtonsoft's output.
 */
import { raise } from '../errors.js';
import {
  AnonymousObject, CharValue, DecimalValue, DictionaryValue, DoubleValue, EnumValue, GuidValue, HashSetValue,
  KeyValuePairValue, ListValue, TupleValue,
} from './values.js';
import { DateTimeOffsetValue, DateTimeValue, TimeSpanValue, formatDate, parseDate, ticksPerSecond } from './datetime.js';
import { formatDouble } from './format-number.js';
import type { Runtime } from './budget.js';

/** Newtonsoft writes the platform newline; the managed gateway runs on Windows. */
export const jsonNewLine = '\r\n';

export type JValueType = 'String' | 'Integer' | 'Float' | 'Boolean' | 'Null' | 'Date' | 'Guid' | 'TimeSpan' | 'Bytes' | 'Uri';

export abstract class JToken {
  abstract readonly typeName: string;
  parent: JToken | null = null;
}

/** A JSON scalar (JValue): string, integer (bigint), float, boolean, null, date. */
export class JValue extends JToken {
  readonly typeName = 'JValue';
  constructor(
    public value: unknown,
    public jtype: JValueType,
  ) {
    super();
  }
}

/** The runtime value of JProperty. */
export class JProperty extends JToken {
  readonly typeName = 'JProperty';
  private v: JToken;
  constructor(
    readonly name: string,
    value: JToken,
  ) {
    super();
    this.v = adopt(this, value);
  }
  get value(): JToken {
    return this.v;
  }
  set value(token: JToken) {
    this.v = adopt(this, token);
  }
}

/** The runtime value of JObject. */
export class JObject extends JToken {
  readonly typeName = 'JObject';
  readonly props = new Map<string, JProperty>();
  /** Adds or replaces a property (indexer set semantics). */
  set(name: string, value: JToken): void {
    const existing = this.props.get(name);
    if (existing) existing.value = value;
    else {
      const p = new JProperty(name, value);
      p.parent = this;
      this.props.set(name, p);
    }
  }
  /** Adds a property; fails when the name exists (JObject.Add semantics). */
  add(prop: JProperty): void {
    if (this.props.has(prop.name)) raise('System.ArgumentException', `Can not add property ${prop.name} to Newtonsoft.Json.Linq.JObject. Property with the same name already exists on object.`);
    const p = prop.parent ? new JProperty(prop.name, prop.value) : prop;
    p.parent = this;
    this.props.set(p.name, p);
  }
}

/** The runtime value of JArray. */
export class JArray extends JToken {
  readonly typeName = 'JArray';
  readonly items: JToken[] = [];
  push(token: JToken): void {
    this.items.push(adopt(this, token));
  }
}

/** Newtonsoft clones a token that already has a parent when it is added elsewhere. */
export function adopt(parent: JToken, token: JToken): JToken {
  const t = token.parent && token.parent !== parent ? deepClone(token) : token;
  t.parent = parent;
  return t;
}

/** JToken.DeepClone(). */
export function deepClone(token: JToken): JToken {
  if (token instanceof JValue) return new JValue(token.value, token.jtype);
  if (token instanceof JProperty) return new JProperty(token.name, deepClone(token.value));
  if (token instanceof JArray) {
    const a = new JArray();
    for (const item of token.items) a.push(deepClone(item));
    return a;
  }
  const o = new JObject();
  for (const p of (token as JObject).props.values()) o.set(p.name, deepClone(p.value));
  return o;
}

/** JTokenType name of a token. */
export function tokenType(token: JToken): string {
  if (token instanceof JValue) return token.jtype;
  if (token instanceof JObject) return 'Object';
  if (token instanceof JArray) return 'Array';
  return 'Property';
}

// ---- parsing ----

/** JToken.Parse; failures are JsonReaderException with Newtonsoft-like text. */
export function parseJson(text: string, rt: Runtime): JToken {
  const p = new JsonParser(text, rt);
  p.ws();
  const v = p.value();
  p.ws();
  if (p.i < text.length) p.fail(`Additional text encountered after finished reading JSON content: ${text[p.i]}.`);
  return v;
}

const isoDate = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})?$/;

class JsonParser {
  i = 0;
  private line = 1;
  private lineStart = 0;
  private depth = 0;
  constructor(
    private readonly s: string,
    private readonly rt: Runtime,
  ) {}

  fail(message: string): never {
    return raise('Newtonsoft.Json.JsonReaderException', `${message} Path '', line ${this.line}, position ${this.i - this.lineStart}.`);
  }

  ws(): void {
    const s = this.s;
    while (this.i < s.length) {
      const c = s[this.i]!;
      if (c === '\n') {
        this.line++;
        this.lineStart = this.i + 1;
        this.i++;
      } else if (c === ' ' || c === '\t' || c === '\r' || c === '\ufeff') this.i++;
      else if (c === '/' && s[this.i + 1] === '/') {
        while (this.i < s.length && s[this.i] !== '\n') this.i++;
      } else if (c === '/' && s[this.i + 1] === '*') {
        const end = s.indexOf('*/', this.i + 2);
        this.i = end === -1 ? s.length : end + 2;
      } else break;
    }
  }

  value(): JToken {
    const s = this.s;
    if (this.i >= s.length) this.fail('Unexpected end of content while loading JObject.');
    this.rt.step();
    const c = s[this.i]!;
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"' || c === "'") {
      const str = this.string();
      if (isoDate.test(str)) {
        const d = parseDate(str);
        if (d) {
          if (d.offsetMinutes === undefined) return new JValue(new DateTimeValue(d.ticks, 'Unspecified'), 'Date');
          const utc = d.ticks - BigInt(d.offsetMinutes) * 60n * ticksPerSecond;
          return new JValue(new DateTimeValue(utc, /Z$/i.test(str) ? 'Utc' : 'Local'), 'Date');
        }
      }
      return new JValue(str, 'String');
    }
    if (c === '-' || (c >= '0' && c <= '9')) return this.number();
    for (const [word, token] of [['true', () => new JValue(true, 'Boolean')], ['false', () => new JValue(false, 'Boolean')], ['null', () => new JValue(null, 'Null')]] as const) {
      if (s.startsWith(word, this.i)) {
        this.i += word.length;
        return token();
      }
    }
    if (s.startsWith('NaN', this.i)) {
      this.i += 3;
      return new JValue(new DoubleValue(NaN), 'Float');
    }
    return this.fail(`Unexpected character encountered while parsing value: ${c}.`);
  }

  private enter(): void {
    if (++this.depth > 64) this.fail('The reader\'s MaxDepth of 64 has been exceeded.');
  }

  private object(): JObject {
    this.enter();
    this.i++;
    const o = new JObject();
    this.ws();
    if (this.s[this.i] === '}') {
      this.i++;
      this.depth--;
      return o;
    }
    for (;;) {
      this.ws();
      let name: string;
      const c = this.s[this.i];
      if (c === '"' || c === "'") name = this.string();
      else {
        const m = /^[A-Za-z_$][\w$]*/.exec(this.s.slice(this.i, this.i + 256));
        if (!m) this.fail(`Invalid property identifier character: ${c ?? 'end of input'}.`);
        name = m[0];
        this.i += name.length;
      }
      this.ws();
      if (this.s[this.i] !== ':') this.fail(`Invalid character after parsing property name. Expected ':' but got: ${this.s[this.i] ?? 'end of input'}.`);
      this.i++;
      this.ws();
      // Newtonsoft's JObject.Parse keeps the last duplicate.
      o.set(name, this.value());
      this.rt.checkSize(o.props.size);
      this.ws();
      const sep = this.s[this.i];
      if (sep === ',') {
        this.i++;
        this.ws();
        if (this.s[this.i] === '}') {
          this.i++;
          break;
        }
        continue;
      }
      if (sep === '}') {
        this.i++;
        break;
      }
      this.fail(sep === undefined ? 'Unexpected end of content while loading JObject.' : `After parsing a value an unexpected character was encountered: ${sep}.`);
    }
    this.depth--;
    return o;
  }

  private array(): JArray {
    this.enter();
    this.i++;
    const a = new JArray();
    this.ws();
    if (this.s[this.i] === ']') {
      this.i++;
      this.depth--;
      return a;
    }
    for (;;) {
      this.ws();
      a.push(this.value());
      this.rt.checkSize(a.items.length);
      this.ws();
      const sep = this.s[this.i];
      if (sep === ',') {
        this.i++;
        this.ws();
        if (this.s[this.i] === ']') {
          this.i++;
          break;
        }
        continue;
      }
      if (sep === ']') {
        this.i++;
        break;
      }
      this.fail(sep === undefined ? 'Unexpected end of content while loading JArray.' : `After parsing a value an unexpected character was encountered: ${sep}.`);
    }
    this.depth--;
    return a;
  }

  private string(): string {
    const quote = this.s[this.i]!;
    this.i++;
    let out = '';
    for (;;) {
      if (this.i >= this.s.length) this.fail('Unterminated string. Expected delimiter: ' + quote + '.');
      const c = this.s[this.i]!;
      if (c === quote) {
        this.i++;
        return out;
      }
      if (c === '\\') {
        const e = this.s[this.i + 1];
        this.i += 2;
        switch (e) {
          case 'n': out += '\n'; break;
          case 'r': out += '\r'; break;
          case 't': out += '\t'; break;
          case 'b': out += '\b'; break;
          case 'f': out += '\f'; break;
          case '/': out += '/'; break;
          case '\\': out += '\\'; break;
          case '"': out += '"'; break;
          case "'": out += "'"; break;
          case 'u': {
            const hex = this.s.slice(this.i, this.i + 4);
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('Invalid Unicode escape sequence.');
            out += String.fromCharCode(parseInt(hex, 16));
            this.i += 4;
            break;
          }
          default: this.fail(`Bad JSON escape sequence: \\${e ?? ''}.`);
        }
        continue;
      }
      out += c;
      this.i++;
    }
  }

  private number(): JValue {
    const m = /^-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(this.s.slice(this.i, this.i + 400));
    if (!m) return this.fail(`Input string '${this.s.slice(this.i, this.i + 10)}' is not a valid number.`);
    this.i += m[0].length;
    if (m[1] || m[2]) return new JValue(new DoubleValue(Number(m[0])), 'Float');
    return new JValue(BigInt(m[0]), 'Integer');
  }
}

// ---- writing ----

function escapeJson(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    switch (c) {
      case 34: out += '\\"'; break;
      case 92: out += '\\\\'; break;
      case 10: out += '\\n'; break;
      case 13: out += '\\r'; break;
      case 9: out += '\\t'; break;
      case 8: out += '\\b'; break;
      case 12: out += '\\f'; break;
      default:
        if (c < 32 || c === 0x85 || c === 0x2028 || c === 0x2029) out += '\\u' + c.toString(16).padStart(4, '0');
        else out += s[i];
    }
  }
  return out + '"';
}

/** Newtonsoft's JSON for a double: round-trip digits, `.0` on integral values. */
export function jsonDouble(v: number): string {
  if (Number.isNaN(v)) return '"NaN"';
  if (!Number.isFinite(v)) return v > 0 ? '"Infinity"' : '"-Infinity"';
  const s = formatDouble(v);
  return /[.E]/.test(s) ? s : s + '.0';
}

function jsonDate(d: DateTimeValue): string {
  const base = formatDate(d.ticks, 0, d.kind, "yyyy'-'MM'-'dd'T'HH':'mm':'ss.FFFFFFF", false);
  return '"' + base + (d.kind === 'Utc' ? 'Z' : d.kind === 'Local' ? '+00:00' : '') + '"';
}

function scalarJson(v: JValue): string {
  const x = v.value;
  switch (v.jtype) {
    case 'Null': return 'null';
    case 'Boolean': return x ? 'true' : 'false';
    case 'Integer': return String(x);
    // Newtonsoft writes a decimal with its scale and always a decimal point (3m → 3.0).
    case 'Float': return x instanceof DecimalValue ? (x.scale > 0 ? x.toString() : x.toString() + '.0') : jsonDouble((x as DoubleValue).v);
    case 'Date':
      if (x instanceof DateTimeOffsetValue) return '"' + formatDate(x.ticks, x.offsetMinutes, 'Local', "yyyy'-'MM'-'dd'T'HH':'mm':'ss.FFFFFFFzzz", true) + '"';
      return jsonDate(x as DateTimeValue);
    case 'Bytes': return '"' + Buffer.from(x as Uint8Array).toString('base64') + '"';
    default: return escapeJson(String(x));
  }
}

/** Serialises a token; `indented` uses two spaces and Newtonsoft's newline. */
export function writeJson(token: JToken, indented: boolean, rt: Runtime): string {
  const parts: string[] = [];
  let size = 0;
  const emit = (s: string): void => {
    size += s.length;
    if (size > rt.limits.maxStringLength) rt.checkLength(size);
    parts.push(s);
  };
  const nl = (depth: number): void => {
    if (indented) emit(jsonNewLine + '  '.repeat(depth));
  };
  const walk = (t: JToken, depth: number): void => {
    rt.step();
    if (t instanceof JValue) emit(scalarJson(t));
    else if (t instanceof JProperty) {
      emit(escapeJson(t.name) + (indented ? ': ' : ':'));
      walk(t.value, depth);
    } else if (t instanceof JArray) {
      if (t.items.length === 0) return emit('[]');
      emit('[');
      t.items.forEach((item, i) => {
        if (i > 0) emit(',');
        nl(depth + 1);
        walk(item, depth + 1);
      });
      nl(depth);
      emit(']');
    } else if (t instanceof JObject) {
      if (t.props.size === 0) return emit('{}');
      emit('{');
      let i = 0;
      for (const p of t.props.values()) {
        if (i++ > 0) emit(',');
        nl(depth + 1);
        walk(p, depth + 1);
      }
      nl(depth);
      emit('}');
    }
  };
  walk(token, 0);
  return parts.join('');
}

/** JToken.ToString(): indented JSON for containers, the plain value for a JValue. */
export function tokenToString(token: JToken, rt: Runtime, display: (v: unknown) => string): string {
  if (token instanceof JValue) {
    if (token.jtype === 'Null') return '';
    if (token.jtype === 'Bytes') return 'System.Byte[]';
    return display(token.value);
  }
  return writeJson(token, true, rt);
}

// ---- conversion from runtime values ----

/** JToken.FromObject / implicit conversions: runtime value → token. */
export function toToken(v: unknown, rt: Runtime, depth = 0): JToken {
  if (depth > 64) raise('Newtonsoft.Json.JsonSerializationException', 'Self referencing loop detected.');
  rt.step();
  if (v instanceof JToken) return v;
  if (v === null || v === undefined) return new JValue(null, 'Null');
  if (typeof v === 'string') return new JValue(v, 'String');
  if (typeof v === 'boolean') return new JValue(v, 'Boolean');
  if (typeof v === 'number') return new JValue(BigInt(v), 'Integer');
  if (typeof v === 'bigint') return new JValue(v, 'Integer');
  if (v instanceof DoubleValue) return new JValue(v, 'Float');
  if (v instanceof DecimalValue) return new JValue(v, 'Float');
  if (v instanceof CharValue) return new JValue(v.toString(), 'String');
  if (v instanceof DateTimeValue || v instanceof DateTimeOffsetValue) return new JValue(v, 'Date');
  if (v instanceof GuidValue) return new JValue(v.toString(), 'String');
  if (v instanceof TimeSpanValue) return new JValue(v.toString(), 'String');
  if (v instanceof EnumValue) return new JValue(BigInt(v.value), 'Integer');
  if (v instanceof Uint8Array) return new JValue(v, 'Bytes');
  if (v instanceof DictionaryValue) {
    const o = new JObject();
    for (const { key, value } of v.map.values()) o.set(String(key), toToken(value, rt, depth + 1));
    return o;
  }
  if (v instanceof AnonymousObject) {
    const o = new JObject();
    for (const [k, value] of v.fields) o.set(k, toToken(value, rt, depth + 1));
    return o;
  }
  if (v instanceof TupleValue) {
    // Json.NET writes a ValueTuple's fields: Item1, Item2 … (element names exist only at compile time).
    const o = new JObject();
    v.items.forEach((x, i) => o.set(`Item${i + 1}`, toToken(x, rt, depth + 1)));
    return o;
  }
  if (v instanceof KeyValuePairValue) {
    const o = new JObject();
    o.set('Key', toToken(v.key, rt, depth + 1));
    o.set('Value', toToken(v.value, rt, depth + 1));
    return o;
  }
  const items = Array.isArray(v) ? v : v instanceof ListValue ? v.items : v instanceof HashSetValue ? [...v.map.values()] : undefined;
  if (items) {
    const a = new JArray();
    for (const item of items) a.push(toToken(item, rt, depth + 1));
    return a;
  }
  return new JValue(String(v), 'String');
}

/** SelectToken with the JSONPath subset policies use: `a.b`, `a[0]`, `['x']`, `$`, `*`. */
export function selectTokens(root: JToken, path: string): JToken[] {
  let current: JToken[] = [root];
  let i = 0;
  const p = path.trim();
  if (p.startsWith('$')) i = 1;
  const fail = (): never => raise('Newtonsoft.Json.JsonException', `Unexpected character while parsing path: ${p[i] ?? ''}`);
  const child = (name: string): void => {
    const next: JToken[] = [];
    for (const t of current) {
      if (t instanceof JObject) {
        if (name === '*') for (const prop of t.props.values()) next.push(prop.value);
        else {
          const prop = t.props.get(name);
          if (prop) next.push(prop.value);
        }
      } else if (t instanceof JArray && name === '*') next.push(...t.items);
    }
    current = next;
  };
  while (i < p.length) {
    const c = p[i]!;
    if (c === '.') {
      i++;
      if (p[i] === '.') fail();
      continue;
    }
    if (c === '[') {
      const close = p.indexOf(']', i);
      if (close === -1) fail();
      const inner = p.slice(i + 1, close).trim();
      i = close + 1;
      const quoted = /^'(.*)'$/.exec(inner) ?? /^"(.*)"$/.exec(inner);
      if (quoted) child(quoted[1]!);
      else if (inner === '*') child('*');
      else if (/^-?\d+$/.test(inner)) {
        const idx = Number(inner);
        current = current.flatMap((t) => (t instanceof JArray ? (t.items[idx < 0 ? t.items.length + idx : idx] ? [t.items[idx < 0 ? t.items.length + idx : idx]!] : []) : []));
      } else fail();
      continue;
    }
    let end = i;
    while (end < p.length && p[end] !== '.' && p[end] !== '[') end++;
    child(p.slice(i, end));
    i = end;
  }
  return current;
}
