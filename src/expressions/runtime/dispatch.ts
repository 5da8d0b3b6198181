/**
 * Member access on runtime values: picks the member table(s) for a value's type, falls back to
 * LINQ for enumerables, and resolves static members, enum values and constructors of the
 * allowed types. Also lists every member name, for the checker's allow-list.
 */
import { raise, nullReference } from '../errors.js';
import {
  AnonymousObject, CharValue, DecimalValue, DictionaryValue, DoubleValue, EnumValue, GuidValue, HashSetValue,
  KeyValuePairValue, ListValue, StringBuilderValue, TupleValue, TypeValue,
} from './values.js';
import { tupleElement, tupleEquals } from './tuples.js';
import { DateTimeOffsetValue, DateTimeValue, TimeSpanValue } from './datetime.js';
import { JToken } from './json.js';
import { HostObject } from './host-object.js';
import { display } from './display.js';
import { objectEquals } from './operators.js';
import { intArg, noOverload, ownMember, type CallSite, type MemberTable } from './member-table.js';
import { constructString, stringMembers, stringStatics } from './strings.js';
import { enumerableStatics, GroupingValue, linqMethods } from './linq.js';
import {
  arrayMembers, assignCollection, dictionaryMembers, groupingMembers, hashSetMembers, indexCollection, keyValuePairMembers, listMembers,
} from './collections.js';
import { assignToken, constructJson, indexToken, jarrayStatics, jobjectStatics, jsonConvertStatics, jtokenMembers, jtokenStatics } from './json-members.js';
import {
  constructDateTime, constructDateTimeOffset, constructTimeSpan, dateTimeMembers, dateTimeOffsetMembers, dateTimeOffsetStatics,
  dateTimeStatics, timeSpanMembers, timeSpanStatics,
} from './datetime-members.js';
import {
  constructRsaType, HashAlgorithmNameValue, RsaEncryptionPaddingValue, rsaHelperMembers, rsaMembers, RsaParametersValue, RsaSignaturePaddingValue,
  rsaStatics, RsaValue, setRsaParameter,
} from './rsa.js';
import { constructIPAddress, IPAddressValue, ipAddressMembers, ipAddressStatics } from './ip-address.js';
import { TimeZoneInfoValue, timeZoneMembers, timeZoneStatics } from './time-zone.js';
import { constructX509, X500NameValue, x500NameMembers, X509Certificate2Value, x509Members, x509NameTypes, x509Statics } from './x509.js';
import { compileRegex, GroupValue, groupMembers, MatchValue, regexMembers, regexOptionNames, regexOptionsEnum, regexStatics, RegexValue } from './regex.js';
import { bytesArg, constructHash, EncodingValue, encodingMembers, encodingStatics, hashMembers, hashStatics, HashAlgorithmValue, symmetric } from './crypto.js';
import { BasicCredentialsValue, JwtValue, jwtMember, jwtMemberNames, parseBasic, parseJwt } from './auth-helpers.js';
import { bitConverterStatics, convertStatics, mathStatics, primitiveStatics, scalarMembers } from './numeric-statics.js';
import { basicMembers, constructGuid, constructStringBuilder, enumMembers, guidMembers, guidStatics, randomMembers, stringBuilderMembers } from './misc-members.js';
import { RandomValue } from './random.js';
import { constructException, ExceptionValue, exceptionMembers, exceptionTypes } from './exceptions.js';
import {
  XAttributeValue, xattributeMembers, XDocumentValue, xdocumentMembers, xdocumentStatics, XElementValue, xelementMembers,
  xelementStatics, XTextValue, xtextMembers, XNamespaceValue, xnamespaceMembers, xnamespaceStatics, XNameValue, xnameMembers, xnameStatics,
  constructXml, xmlNodeTypes,
} from './xml-linq.js';
import { xpathMembers } from './xpath.js';
import { constructUri, UriValue, uriMembers, uriStatics, webUtilityStatics } from './uri.js';
import { hostCall, hostProperty, hostTypes, variablesIndex } from './host-types.js';
import { isEnumerable } from './convert.js';
import type { RtType } from './rt-type.js';
import type { Runtime } from './budget.js';
import { isOutSlot } from './member-table.js';
import type { OutSlot } from './values.js';

const enums: Record<string, Record<string, number>> = {
  StringComparison: { CurrentCulture: 0, CurrentCultureIgnoreCase: 1, InvariantCulture: 2, InvariantCultureIgnoreCase: 3, Ordinal: 4, OrdinalIgnoreCase: 5 },
  StringSplitOptions: { None: 0, RemoveEmptyEntries: 1, TrimEntries: 2 },
  Formatting: { None: 0, Indented: 1 },
  DateTimeKind: { Unspecified: 0, Utc: 1, Local: 2 },
  DayOfWeek: { Sunday: 0, Monday: 1, Tuesday: 2, Wednesday: 3, Thursday: 4, Friday: 5, Saturday: 6 },
  MidpointRounding: { ToEven: 0, AwayFromZero: 1, ToZero: 2, ToNegativeInfinity: 3, ToPositiveInfinity: 4 },
  UriKind: { RelativeOrAbsolute: 0, Absolute: 1, Relative: 2 },
  JTokenType: { None: 0, Object: 1, Array: 2, Constructor: 3, Property: 4, Comment: 5, Integer: 6, Float: 7, String: 8, Boolean: 9, Null: 10, Undefined: 11, Date: 12, Raw: 13, Bytes: 14, Guid: 15, Uri: 16, TimeSpan: 17 },
  NumberStyles: { None: 0, Integer: 7, HexNumber: 515, Number: 111, Float: 167, Any: 511, AllowThousands: 64 },
  DateTimeStyles: { None: 0, AdjustToUniversal: 16, AssumeLocal: 32, AssumeUniversal: 64, RoundtripKind: 128 },
  UriPartial: { Scheme: 0, Authority: 1, Path: 2, Query: 3 },
  AddressFamily: { Unspecified: 0, InterNetwork: 2, InterNetworkV6: 23 },
  X509NameType: x509NameTypes,
  XmlNodeType: xmlNodeTypes,
};
const enumNamespaces: Record<string, string> = {
  StringComparison: 'System', StringSplitOptions: 'System', DateTimeKind: 'System', DayOfWeek: 'System', MidpointRounding: 'System',
  UriKind: 'System', UriPartial: 'System', Formatting: 'Newtonsoft.Json', JTokenType: 'Newtonsoft.Json.Linq',
  NumberStyles: 'System.Globalization', DateTimeStyles: 'System.Globalization', AddressFamily: 'System.Net.Sockets',
  X509NameType: 'System.Security.Cryptography.X509Certificates', XmlNodeType: 'System.Xml',
};

const hashTypes = ['SHA1', 'SHA256', 'SHA384', 'SHA512', 'MD5', 'HMACSHA1', 'HMACSHA256', 'HMACSHA384', 'HMACSHA512', 'HMACMD5'];

class CultureInfoValue {
  readonly typeName = 'CultureInfo';
  toString(): string {
    return '';
  }
}

/** Static members by type. */
export const staticTables: Record<string, MemberTable> = {
  string: stringStatics,
  Math: mathStatics,
  Convert: convertStatics,
  BitConverter: bitConverterStatics,
  Guid: guidStatics,
  DateTime: dateTimeStatics,
  DateTimeOffset: dateTimeOffsetStatics,
  TimeSpan: timeSpanStatics,
  Encoding: encodingStatics,
  Enumerable: enumerableStatics,
  JObject: jobjectStatics,
  JArray: jarrayStatics,
  JToken: jtokenStatics,
  JsonConvert: jsonConvertStatics,
  Regex: regexStatics,
  IPAddress: ipAddressStatics,
  X509Certificate2: x509Statics,
  TimeZoneInfo: timeZoneStatics,
  ...rsaStatics,
  Uri: uriStatics,
  WebUtility: webUtilityStatics,
  XDocument: xdocumentStatics,
  XElement: xelementStatics,
  XName: xnameStatics,
  XNamespace: xnamespaceStatics,
  CultureInfo: { props: { InvariantCulture: () => new CultureInfoValue(), CurrentCulture: () => new CultureInfoValue() } },
  StringComparer: {
    props: {
      Ordinal: () => new EnumValue('System.StringComparer', 'Ordinal', 4),
      OrdinalIgnoreCase: () => new EnumValue('System.StringComparer', 'OrdinalIgnoreCase', 5),
      InvariantCultureIgnoreCase: () => new EnumValue('System.StringComparer', 'InvariantCultureIgnoreCase', 3),
      InvariantCulture: () => new EnumValue('System.StringComparer', 'InvariantCulture', 2),
      CurrentCultureIgnoreCase: () => new EnumValue('System.StringComparer', 'CurrentCultureIgnoreCase', 1),
    },
  },
  object: {
    methods: {
      Equals: (_: unknown, a) => objectEquals(a[0], a[1]),
      ReferenceEquals: (_: unknown, a) => a[0] === a[1] || (a[0] === null && a[1] === null),
    },
  },
  Array: {
    methods: {
      IndexOf: (_: unknown, a) => (Array.isArray(a[0]) ? a[0].findIndex((x) => objectEquals(x, a[1])) : noOverload('IndexOf', a)),
      Copy: (_: unknown, a) => {
        // Array.Copy(source, destination, length) / (source, sourceIndex, destination, destinationIndex, length)
        const [src, si, dst, di, n] = a.length === 3 ? [a[0], 0, a[1], 0, a[2]] : a;
        const source = src as ArrayLike<unknown>;
        const target = dst as unknown[] | Uint8Array;
        const count = Number(n);
        const from = Number(si);
        const to = Number(di);
        if (from < 0 || to < 0 || count < 0 || from + count > source.length || to + count > target.length) {
          raise('System.ArgumentException', 'Destination array was not long enough. Check the destination index, length, and the array\'s lower bounds.');
        }
        for (let i = 0; i < count; i++) (target as unknown[])[to + i] = source[from + i];
        return undefined;
      },
      Empty: () => [],
      Reverse: (_: unknown, a) => {
        if (Array.isArray(a[0]) || a[0] instanceof Uint8Array) a[0].reverse();
        return undefined;
      },
      Sort: (_: unknown, a) => {
        if (Array.isArray(a[0])) a[0].sort((x, y) => (display(x) < display(y) ? -1 : display(x) > display(y) ? 1 : 0));
        return undefined;
      },
      Exists: (_: unknown, a, site) => linqMethods.methods!.Any!(a[0], [a[1]], site),
    },
  },
  ...Object.fromEntries(Object.entries(primitiveStatics)),
  ...Object.fromEntries(hashTypes.map((t) => [t, hashStatics(t)])),
  ...Object.fromEntries(Object.entries(enums).map(([type, values]) => [type, {
    props: Object.fromEntries(Object.entries(values).map(([name, value]) => [name, () => new EnumValue(`${enumNamespaces[type]}.${type}`, name, value)])),
  }])),
  RegexOptions: { props: Object.fromEntries(regexOptionNames.map((n) => [n, () => regexOptionsEnum(n)])) },
};

/** `new T(args)` for the constructible allowed types. */
export function construct(type: RtType, args: unknown[], rt: Runtime): unknown {
  switch (type.name) {
    case 'string': return constructString(args, rt);
    case 'object': return new AnonymousObject(new Map());
    case 'List': {
      const list = new ListValue([], type.args[0]?.name ?? 'object');
      if (args.length === 1 && typeof args[0] !== 'number' && args[0] !== null) list.items.push(...(isEnumerable(args[0]) ? (linqMethods.methods!.ToArray!(args[0], [], { rt, typeArgs: [], named: new Map(), name: 'ToArray' }) as unknown[]) : []));
      return list;
    }
    case 'Dictionary': {
      const comparer = args.find((a) => a instanceof EnumValue && a.type === 'System.StringComparer') as EnumValue | undefined;
      const d = new DictionaryValue(comparer !== undefined && comparer.name.endsWith('IgnoreCase'), false, type.args.map((t) => t.name));
      const source = args.find((a) => a instanceof DictionaryValue) as DictionaryValue | undefined;
      if (source) for (const e of source.map.values()) d.set(e.key, e.value);
      return d;
    }
    case 'HashSet': {
      const comparer = args.find((a) => a instanceof EnumValue) as EnumValue | undefined;
      const s = new HashSetValue(comparer !== undefined && comparer.name.endsWith('IgnoreCase'));
      const source = args.find((a) => a !== null && !(a instanceof EnumValue) && isEnumerable(a));
      if (source) for (const x of linqMethods.methods!.ToArray!(source, [], { rt, typeArgs: [], named: new Map(), name: 'ToArray' }) as unknown[]) s.add(x);
      return s;
    }
    case 'KeyValuePair': return new KeyValuePairValue(args[0], args[1]);
    case 'JObject': case 'JArray': case 'JProperty': case 'JValue': return constructJson(type.name, args, rt);
    case 'DateTime': return constructDateTime([...args]);
    case 'DateTimeOffset': return constructDateTimeOffset(args);
    case 'TimeSpan': return constructTimeSpan(args);
    case 'Guid': return constructGuid(args);
    case 'StringBuilder': return constructStringBuilder(args, rt);
    case 'Random': return new RandomValue(args.length ? intArg(args[0], 'Seed') : undefined);
    case 'Regex': return compileRegex(String(args[0]), args[1] instanceof EnumValue ? args[1].value : 0);
    case 'Uri': return constructUri(args);
    case 'IPAddress': return constructIPAddress(args, rt);
    case 'X509Certificate2': return constructX509(args, rt);
    case 'RSAParameters': case 'HashAlgorithmName': return constructRsaType(type.name, args);
    case 'XElement': case 'XDocument': case 'XAttribute': return constructXml(type.name, args, rt);
  }
  if (exceptionTypes[type.name]) return constructException(type.name, args);
  if (hashTypes.includes(type.name) || /^(SHA\d+|MD5)Managed$/.test(type.name)) return constructHash(type.name, args, rt);
  return raise('System.NotSupportedException', `Type '${type.name}' cannot be constructed in a policy expression.`);
}

/** Types `new` accepts (checked at compile time). */
export const constructibleTypes = new Set([
  'string', 'object', 'List', 'Dictionary', 'HashSet', 'KeyValuePair', 'JObject', 'JArray', 'JProperty', 'JValue', 'DateTime',
  'DateTimeOffset', 'TimeSpan', 'Guid', 'StringBuilder', 'Random', 'Regex', 'Uri', 'IPAddress', 'X509Certificate2', 'RSAParameters', 'HashAlgorithmName', 'XElement', 'XDocument', 'XAttribute',
  ...Object.keys(exceptionTypes), ...hashTypes,
]);

/** Reads a static property or enum value. */
export function getStatic(type: string, name: string, rt: Runtime): unknown {
  const prop = ownMember(staticTables[type]?.props, name);
  if (!prop) return raise('System.MissingMemberException', `'${type}' does not contain a definition for '${name}'.`);
  return prop(null, rt);
}

/** Calls a static method. */
export function callStatic(type: string, name: string, args: unknown[], site: CallSite): unknown {
  const m = ownMember(staticTables[type]?.methods, name);
  if (!m) return raise('System.MissingMethodException', `'${type}' does not contain a definition for '${name}'.`);
  return m(null, args, site);
}

/** The member tables that apply to a value, most specific first. */
function tablesFor(v: unknown): MemberTable[] {
  switch (typeof v) {
    case 'string': return [stringMembers, linqMethods];
    case 'number': case 'bigint': case 'boolean': return [scalarMembers];
  }
  if (v instanceof DoubleValue || v instanceof DecimalValue || v instanceof CharValue) return [scalarMembers];
  if (Array.isArray(v) || v instanceof Uint8Array) return [arrayMembers, linqMethods];
  if (v instanceof GroupingValue) return [groupingMembers, listMembers, linqMethods];
  if (v instanceof ListValue) return [listMembers, linqMethods];
  if (v instanceof DictionaryValue) return [dictionaryMembers, linqMethods];
  if (v instanceof HashSetValue) return [hashSetMembers, linqMethods];
  if (v instanceof KeyValuePairValue) return [keyValuePairMembers];
  if (v instanceof JToken) return [jtokenMembers, linqMethods];
  if (v instanceof DateTimeValue) return [dateTimeMembers];
  if (v instanceof DateTimeOffsetValue) return [dateTimeOffsetMembers];
  if (v instanceof TimeSpanValue) return [timeSpanMembers];
  if (v instanceof GuidValue) return [guidMembers];
  if (v instanceof EnumValue) return [enumMembers];
  if (v instanceof StringBuilderValue) return [stringBuilderMembers];
  if (v instanceof RandomValue) return [randomMembers];
  if (v instanceof RegexValue) return [regexMembers];
  if (v instanceof GroupValue) return [groupMembers];
  if (v instanceof EncodingValue) return [encodingMembers];
  if (v instanceof HashAlgorithmValue) return [hashMembers];
  if (v instanceof BasicCredentialsValue) return [basicMembers];
  if (v instanceof UriValue) return [uriMembers];
  if (v instanceof IPAddressValue) return [ipAddressMembers];
  if (v instanceof RsaValue) return [rsaMembers];
  if (v instanceof X509Certificate2Value) return [x509Members];
  if (v instanceof TimeZoneInfoValue) return [timeZoneMembers];
  if (v instanceof X500NameValue) return [x500NameMembers];
  if (v instanceof RsaParametersValue || v instanceof HashAlgorithmNameValue || v instanceof RsaSignaturePaddingValue || v instanceof RsaEncryptionPaddingValue) return [rsaHelperMembers];
  if (v instanceof XElementValue) return [xelementMembers, xpathMembers];
  if (v instanceof XDocumentValue) return [xdocumentMembers, xpathMembers];
  if (v instanceof XAttributeValue) return [xattributeMembers];
  if (v instanceof XTextValue) return [xtextMembers];
  if (v instanceof XNameValue) return [xnameMembers];
  if (v instanceof XNamespaceValue) return [xnamespaceMembers];
  if (v instanceof ExceptionValue) return [exceptionMembers];
  return [];
}

const linqNames = new Set(Object.keys(linqMethods.methods!));
const stringExtensions = new Set(['AsJwt', 'AsBasic', 'TryParseJwt', 'TryParseBasic']);

/** `value.Name` (property). */
export function getMember(target: unknown, name: string, rt: Runtime): unknown {
  if (target === null || target === undefined) {
    // Nullable<T>: `x.HasValue` / `x.Value` on a null value.
    if (name === 'HasValue') return false;
    if (name === 'Value') return raise('System.InvalidOperationException', 'Nullable object must have a value.');
    nullReference();
  }
  if (target instanceof HostObject) return hostProperty(target, name);
  if (target instanceof JwtValue) {
    const v = jwtMember(target, name);
    if (v !== undefined) return v;
  }
  if (target instanceof AnonymousObject) {
    if (target.fields.has(name)) return target.fields.get(name);
  }
  if (target instanceof TupleValue) {
    const element = tupleElement(target, name);
    if (element) return element.value;
  }
  if (target instanceof TypeValue && name === 'FullName') return target.name;
  if (target instanceof TypeValue && name === 'Name') return shortTypeName(target.name);
  if (target instanceof MatchValue && name === 'Groups') return target;
  if (target instanceof MatchValue && name === 'Count') return target.exec ? target.exec.length : 0;
  for (const table of tablesFor(target)) {
    const p = ownMember(table.props, name);
    if (p) return p(target, rt);
  }
  // Nullable<T> members on a present value type.
  if (name === 'HasValue') return true;
  if (name === 'Value' && !(target instanceof JToken)) return target;
  return raise('System.MissingMemberException', `'${display(target) && typeof target === 'object' ? (target as { constructor: { name: string } }).constructor.name : typeof target}' does not contain a definition for '${name}'.`);
}

/** `value.Name(args)` (instance or extension method). */
export function callMember(target: unknown, name: string, args: unknown[], site: CallSite): unknown {
  if (target === null || target === undefined) {
    if (stringExtensions.has(name)) return callStringExtension(null, name, args);
    if (linqNames.has(name)) return raise('System.ArgumentNullException', "Value cannot be null. (Parameter 'source')");
    return nullReference();
  }
  if (target instanceof HostObject) {
    // context.Variables is an IReadOnlyDictionary<string, object>: LINQ applies.
    if (target.type === 'Variables' && linqNames.has(name)) return ownMember(linqMethods.methods, name)!(target, args, site);
    return hostCall(target, name, args, site);
  }
  if (typeof target === 'string' && stringExtensions.has(name)) return callStringExtension(target, name, args);
  if (target instanceof Uint8Array && (name === 'Encrypt' || name === 'Decrypt') && args.length === 3) {
    return symmetric(name === 'Encrypt', target, String(args[0]), bytesArg(args[1], site.rt, 'key'), bytesArg(args[2], site.rt, 'iv'));
  }
  for (const table of tablesFor(target)) {
    const m = ownMember(table.methods, name);
    if (m) return m(target, args, site);
  }
  switch (name) {
    case 'ToString':
      if (args.length === 0) return display(target);
      break;
    case 'Equals':
      if (args.length === 1 && target instanceof TupleValue) return tupleEquals(target, args[0]);
      if (args.length === 1) return objectEquals(target, args[0]);
      break;
    case 'GetHashCode':
      return 0;
  }
  return noOverload(name, args);
}

function callStringExtension(target: string | null, name: string, args: unknown[]): unknown {
  switch (name) {
    case 'AsJwt': return parseJwt(target);
    case 'AsBasic': return parseBasic(target);
    case 'TryParseJwt': case 'TryParseBasic': {
      const slot = args[0];
      if (!isOutSlot(slot)) return noOverload(name, args);
      const v = name === 'TryParseJwt' ? parseJwt(target) : parseBasic(target);
      (slot as OutSlot).set(v);
      return v !== null;
    }
  }
  return noOverload(name, args);
}

/** `target[keys]`. */
export function getIndex(target: unknown, keys: unknown[], rt: Runtime): unknown {
  if (target === null || target === undefined) nullReference();
  const key = keys[0];
  if (typeof target === 'string') {
    if (typeof key !== 'number') return raise('System.ArgumentException', 'A string index must be an int.');
    if (key < 0 || key >= target.length) raise('System.IndexOutOfRangeException', 'Index was outside the bounds of the array.');
    return new CharValue(target.charCodeAt(key));
  }
  if (target instanceof JToken) return indexToken(target, key);
  if (target instanceof HostObject && target.type === 'Variables') return variablesIndex(target, key);
  if (target instanceof MatchValue) return target.group(key);
  const r = indexCollection(target, key);
  if (r.found) return r.value;
  void rt;
  return raise('System.InvalidOperationException', `Cannot apply indexing with [] to a value of type '${typeof target === 'object' ? (target as object).constructor.name : typeof target}'.`);
}

/** `target[keys] = value`. */
export function setIndex(target: unknown, keys: unknown[], value: unknown, rt: Runtime): void {
  if (target === null || target === undefined) nullReference();
  if (target instanceof JToken) return assignToken(target, keys[0], value, rt);
  if (assignCollection(target, keys[0], value, rt)) return;
  raise('System.InvalidOperationException', 'Property or indexer cannot be assigned to -- it is read only.');
}

/** `target.Name = value` (the few settable properties). */
export function setMember(target: unknown, name: string, value: unknown, rt: Runtime): void {
  if (target === null || target === undefined) nullReference();
  if (target instanceof JToken && name === 'Value') {
    const t = target as unknown as { value: unknown; jtype?: string };
    if ('jtype' in t) {
      const token = constructJson('JValue', [value], rt) as unknown as { value: unknown; jtype: string };
      t.value = token.value;
      t.jtype = token.jtype;
    } else t.value = constructJson('JValue', [value], rt);
    return;
  }
  if (target instanceof StringBuilderValue && name === 'Length') {
    const s = target.toString().slice(0, Number(value));
    target.parts = [s];
    target.length = s.length;
    return;
  }
  if (setRsaParameter(target, name, value, rt)) return;
  if (target instanceof AnonymousObject) raise('System.InvalidOperationException', `Property or indexer '${name}' cannot be assigned to -- it is read only.`);
  if (target instanceof TupleValue) raise('System.InvalidOperationException', 'Tuple elements cannot be assigned in policy expressions; assign the whole tuple instead.');
  raise('System.InvalidOperationException', `Property or indexer '${name}' cannot be assigned to -- it is read only.`);
}

/** Every instance member name some allowed type has (the checker's fallback allow-list). */
export function allInstanceMemberNames(): Set<string> {
  const names = new Set<string>(['ToString', 'Equals', 'GetHashCode', 'Groups', 'Count', 'Name', 'FullName', 'Key', 'Value', 'HasValue', 'Encrypt', 'Decrypt', ...jwtMemberNames, ...stringExtensions]);
  const tables = [stringMembers, linqMethods, scalarMembers, arrayMembers, listMembers, dictionaryMembers, hashSetMembers, keyValuePairMembers,
    groupingMembers, jtokenMembers, dateTimeMembers, dateTimeOffsetMembers, timeSpanMembers, guidMembers, enumMembers, stringBuilderMembers,
    randomMembers, regexMembers, groupMembers, encodingMembers, hashMembers, basicMembers, uriMembers, ipAddressMembers, x509Members, x500NameMembers, timeZoneMembers, rsaMembers, rsaHelperMembers, xelementMembers, xdocumentMembers,
    xattributeMembers, xnameMembers, xnamespaceMembers, exceptionMembers, xpathMembers, xtextMembers];
  for (const t of tables) {
    for (const n of Object.keys(t.props ?? {})) names.add(n);
    for (const n of Object.keys(t.methods ?? {})) names.add(n);
  }
  for (const members of Object.values(hostTypes)) for (const n of Object.keys(members)) names.add(n);
  return names;
}

/** Static member names by type (for the checker). */
export function staticMemberNames(type: string): Set<string> {
  const t = staticTables[type];
  return new Set([...Object.keys(t?.props ?? {}), ...Object.keys(t?.methods ?? {})]);
}

/** `Type.Name`: the full name without namespace or generic arguments (`String`, `Int32`). */
function shortTypeName(fullName: string): string {
  const bracket = fullName.indexOf('[');
  const base = bracket === -1 ? fullName : fullName.slice(0, bracket);
  return base.slice(base.lastIndexOf('.') + 1);
}
