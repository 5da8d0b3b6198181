/**
 * The APIM interfaces behind `context` (reference §4.2): for each, its members and how a view
 * value becomes a runtime value. The checker uses the same table to reject unknown members.
 */
import { raise, nullReference } from '../errors.js';
import type { BodyView, HeadersView, UrlView, VariablesView } from '../context-view.js';
import { HostObject } from './host-object.js';
import { DictionaryValue, EnumValue, GuidValue, ListValue } from './values.js';
import { TimeSpanValue, dateFromMs } from './datetime.js';
import { parseJson, JArray, JObject } from './json.js';
import { parseXmlDocument, parseXmlElement } from './xml-linq.js';
import { convertForGeneric } from './convert.js';
import { keyNotFound } from './collections.js';
import { noOverload, ownMember, strArg, type CallSite } from './member-table.js';
import { simpleType } from './rt-type.js';
import { x509Members } from './x509.js';
import type { Runtime } from './budget.js';

type Conv = (v: unknown) => unknown;

const str: Conv = (v) => (v === undefined ? null : v);
const int: Conv = (v) => v;
const bool: Conv = (v) => v;
const date: Conv = (v) => (v === null || v === undefined ? null : dateFromMs(v as number, 'Utc'));
const host = (type: string): Conv => (v) => (v === null || v === undefined ? null : new HostObject(type, v as object, displayOf(type)));
const list = (type: string): Conv => (v) => (v as object[]).map((x) => new HostObject(type, x));
const strings: Conv = (v) => (v as string[]).slice();

function displayOf(type: string): ((t: object) => string) | undefined {
  if (type === 'IUrl') return (t) => (t as UrlView).Text;
  return undefined;
}

/** Headers → read-only, case-insensitive IReadOnlyDictionary<string, string[]>. */
export function headersDictionary(h: HeadersView): DictionaryValue {
  const d = new DictionaryValue(true, true, ['string', 'string[]']);
  for (const [name, values] of h) d.set(name, values.slice());
  return d;
}

function queryDictionary(q: UrlView['Query']): DictionaryValue {
  const d = new DictionaryValue(false, true, ['string', 'string[]']);
  for (const [k, v] of q) {
    const e = d.get(k);
    if (e) (e.value as string[]).push(v);
    else d.set(k, [v]);
  }
  return d;
}

function stringDictionary(r: Readonly<Record<string, string>>): DictionaryValue {
  const d = new DictionaryValue(true, true, ['string', 'string']);
  for (const [k, v] of Object.entries(r)) d.set(k, v);
  return d;
}

export interface HostMember {
  /** Converts the view's value (properties). */
  get?: Conv;
  /** The runtime type name the member returns (for the checker), when an APIM interface. */
  type?: string;
  /** A method. */
  call?: (target: object, args: unknown[], site: CallSite) => unknown;
}

export const hostTypes: Record<string, Record<string, HostMember>> = {
  IProxyRequestContext: {
    Request: { get: host('IRequest'), type: 'IRequest' },
    Response: { get: host('IResponse'), type: 'IResponse' },
    Api: { get: host('IApi'), type: 'IApi' },
    Operation: { get: host('IOperation'), type: 'IOperation' },
    Product: { get: host('IProduct'), type: 'IProduct' },
    Subscription: { get: host('ISubscription'), type: 'ISubscription' },
    User: { get: host('IUser'), type: 'IUser' },
    Deployment: { get: host('IDeployment'), type: 'IDeployment' },
    LastError: { get: host('ILastError'), type: 'ILastError' },
    Variables: { get: host('Variables'), type: 'Variables' },
    RequestId: { get: (v) => new GuidValue(String(v).replace(/-/g, '').toLowerCase()) },
    Timestamp: { get: date },
    Elapsed: { get: (v) => new TimeSpanValue(BigInt(Math.round((v as number) * 10000))) },
    Tracing: { get: bool },
    Trace: {
      call: (t, args) => {
        (t as { trace?: (m: string) => void }).trace?.(strArg(args[0], 'message'));
        return undefined;
      },
    },
  },
  IRequest: {
    Method: { get: str },
    OriginalMethod: { get: str },
    Url: { get: host('IUrl'), type: 'IUrl' },
    OriginalUrl: { get: host('IUrl'), type: 'IUrl' },
    Headers: { get: (v) => headersDictionary(v as HeadersView) },
    IpAddress: { get: str },
    MatchedParameters: { get: (v) => stringDictionary(v as Record<string, string>) },
    Body: { get: host('IMessageBody'), type: 'IMessageBody' },
    Certificate: { get: (v) => v ?? null, type: 'X509Certificate2' },
    PrivateEndpointConnection: { get: host('IPrivateEndpointConnection'), type: 'IPrivateEndpointConnection' },
  },
  IResponse: {
    StatusCode: { get: int },
    StatusReason: { get: str },
    Headers: { get: (v) => headersDictionary(v as HeadersView) },
    Body: { get: host('IMessageBody'), type: 'IMessageBody' },
  },
  IUrl: {
    Scheme: { get: str },
    Host: { get: str },
    Port: { get: int },
    Path: { get: str },
    Query: { get: (v) => queryDictionary(v as UrlView['Query']) },
    QueryString: { get: str },
    ToString: { call: (t) => (t as UrlView).Text },
  },
  IMessageBody: {
    As: { call: (t, args, site) => bodyAs(t as BodyView, args, site) },
    AsFormUrlEncodedContent: {
      call: (t, args, site) => {
        const text = (t as BodyView).read(args[0] === true || site.named.get('preserveContent') === true).toString('utf8');
        const d = new DictionaryValue(false, true, ['string', 'string[]']);
        for (const part of text.split('&')) {
          if (!part) continue;
          const eq = part.indexOf('=');
          const k = decodeURIComponent((eq === -1 ? part : part.slice(0, eq)).replace(/\+/g, ' '));
          const v = eq === -1 ? '' : decodeURIComponent(part.slice(eq + 1).replace(/\+/g, ' '));
          const e = d.get(k);
          if (e) (e.value as string[]).push(v);
          else d.set(k, [v]);
        }
        return d;
      },
    },
  },
  IApi: {
    Id: { get: str },
    Name: { get: str },
    Path: { get: str },
    Revision: { get: str },
    Version: { get: str },
    IsCurrentRevision: { get: bool },
    ServiceUrl: { get: host('IUrl'), type: 'IUrl' },
    Protocols: { get: strings },
    SubscriptionKeyParameterNames: { get: host('ISubscriptionKeyParameterNames'), type: 'ISubscriptionKeyParameterNames' },
  },
  ISubscriptionKeyParameterNames: { Header: { get: str }, Query: { get: str } },
  IOperation: { Id: { get: str }, Method: { get: str }, Name: { get: str }, UrlTemplate: { get: str } },
  IProduct: {
    Id: { get: str },
    Name: { get: str },
    ApprovalRequired: { get: bool },
    SubscriptionRequired: { get: bool },
    SubscriptionLimit: { get: (v) => (v === null || v === undefined ? null : v) },
    State: { get: (v) => new EnumValue('ProductState', String(v), v === 'Published' ? 1 : 0) },
    Groups: { get: list('IGroup') },
    Apis: { get: list('IApi') },
  },
  IGroup: { Id: { get: str }, Name: { get: str } },
  ISubscription: {
    Id: { get: str },
    Key: { get: str },
    Name: { get: str },
    PrimaryKey: { get: str },
    SecondaryKey: { get: str },
    CreatedDate: { get: date },
    CreatedTime: { get: (_v) => undefined },
    StartDate: { get: date },
    EndDate: { get: date },
  },
  IUser: {
    Id: { get: str },
    Email: { get: str },
    FirstName: { get: str },
    LastName: { get: str },
    Note: { get: str },
    RegistrationDate: { get: date },
    Groups: { get: list('IGroup') },
    Identities: { get: list('IUserIdentity') },
  },
  IUserIdentity: { Id: { get: str }, Provider: { get: str } },
  ILastError: {
    Source: { get: str }, Reason: { get: str }, Message: { get: str }, Scope: { get: str }, Section: { get: str },
    Path: { get: str }, PolicyId: { get: str },
  },
  IDeployment: {
    GatewayId: { get: str },
    Region: { get: str },
    ServiceName: { get: str },
    // The `certificates` resources by thumbprint (read-only), or empty where none are known.
    Certificates: { get: (v) => (v instanceof DictionaryValue ? v : new DictionaryValue(false, true, ['string', 'X509Certificate2'])) },
  },
  // The static type of context.Request.Certificate and of Deployment.Certificates' values, for
  // the checker: the value is null (no client certificate) or a real X509Certificate2Value,
  // whose members x509.ts implements, so these entries only list the names.
  X509Certificate2: Object.fromEntries([
    ...Object.keys(x509Members.props ?? {}).map((m): [string, HostMember] => [m, { get: () => null }]),
    ...Object.keys(x509Members.methods ?? {}).map((m): [string, HostMember] => [m, { call: () => false }]),
  ]),
  IPrivateEndpointConnection: { Name: { get: str }, GroupId: { get: str }, MemberName: { get: str } },
  Variables: {
    ContainsKey: { call: (t, args) => (t as VariablesView).has(strArg(args[0], 'key')) },
    GetValueOrDefault: {
      call: (t, args, site) => {
        const vars = t as VariablesView;
        const name = strArg(args[0], 'name');
        const type = site.typeArgs[0];
        if (!vars.has(name)) return args.length > 1 ? args[1] : type ? defaultOf(type.name) : null;
        const v = vars.get(name);
        return type ? convertForGeneric(v, type, site.rt) : v;
      },
    },
    TryGetValue: {
      call: (t, args) => {
        const vars = t as VariablesView;
        const name = strArg(args[0], 'key');
        const slot = args[1] as { set(v: unknown): void };
        const found = vars.has(name);
        slot.set(found ? vars.get(name) : null);
        return found;
      },
    },
    Count: { get: (_v) => undefined },
    Keys: { get: (_v) => undefined },
  },
};

/** default(T) for the value types generic accessors may return. */
export function defaultOf(type: string): unknown {
  switch (type) {
    case 'int': case 'short': case 'byte': case 'ushort': case 'sbyte': return 0;
    case 'long': case 'uint': case 'ulong': return 0n;
    case 'bool': return false;
    default: return null;
  }
}

/** Reads a host member: property value or a bound method marker. */
export function hostProperty(obj: HostObject, name: string): unknown {
  const m = ownMember(hostTypes[obj.type], name);
  if (obj.type === 'Variables') {
    const vars = obj.target as VariablesView;
    if (name === 'Count') return vars.names().length;
    if (name === 'Keys') return vars.names();
  }
  if (!m || !m.get) return raise('System.MissingMemberException', `'${obj.type}' does not contain a definition for '${name}'.`);
  return m.get((obj.target as Record<string, unknown>)[name]);
}

/** Calls a host method. */
export function hostCall(obj: HostObject, name: string, args: unknown[], site: CallSite): unknown {
  const m = ownMember(hostTypes[obj.type], name);
  if (m?.call) return m.call(obj.target, args, site);
  if (name === 'ToString' && args.length === 0) return obj.display();
  return noOverload(name, args);
}

/** `context.Variables[name]`. */
export function variablesIndex(obj: HostObject, key: unknown): unknown {
  const vars = obj.target as VariablesView;
  const name = strArg(key, 'key');
  if (!vars.has(name)) keyNotFound(name);
  return vars.get(name);
}

/** IMessageBody.As<T>(preserveContent): string, byte[], JObject, JToken, JArray. */
function bodyAs(body: BodyView, args: unknown[], site: CallSite): unknown {
  const preserve = args[0] === true || site.named.get('preserveContent') === true;
  const t = site.typeArgs[0] ?? simpleType('string');
  const bytes = body.read(preserve);
  const text = (): string => bytes.toString('utf8').replace(/^\ufeff/, '');
  if (t.name === 'byte' && t.arrayRank === 1) return new Uint8Array(bytes);
  switch (t.name) {
    // The body's text is a string the expression holds: the string length limit applies.
    case 'string': return site.rt.str(text());
    case 'JObject': case 'JToken': case 'JArray': {
      const token = parseJson(text(), site.rt);
      if (t.name === 'JObject' && !(token instanceof JObject)) return raise('Newtonsoft.Json.JsonReaderException', "Error reading JObject from JsonReader. Current JsonReader item is not an object. Path '', line 1, position 1.");
      if (t.name === 'JArray' && !(token instanceof JArray)) return raise('Newtonsoft.Json.JsonReaderException', "Error reading JArray from JsonReader. Current JsonReader item is not an array. Path '', line 1, position 1.");
      return token;
    }
    case 'XNode': case 'XElement': case 'XDocument':
      return t.name === 'XDocument' ? parseXmlDocument(text(), site.rt) : parseXmlElement(text(), site.rt);
  }
  return raise('System.InvalidOperationException', `Body.As<${t.name}>() is not supported.`);
}

/** Dereferences a possibly-null host member result chain. */
export function requireHost(v: unknown): HostObject {
  if (v === null || v === undefined) nullReference();
  return v as HostObject;
}

export { ListValue };
export type { Runtime };
