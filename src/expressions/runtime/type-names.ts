/**
 * Type names: the allow-listed types an expression may name (with their namespaces and C#
 * aliases), canonical short names used inside the runtime, and full .NET names for messages.
 */

import { exceptionTypes } from './exceptions.js';

const aliases: Record<string, string> = {
  Int32: 'int', Int64: 'long', Int16: 'short', UInt16: 'ushort', UInt32: 'uint', UInt64: 'ulong', Byte: 'byte',
  SByte: 'sbyte', Double: 'double', Single: 'float', Decimal: 'decimal', Boolean: 'bool', String: 'string',
  Char: 'char', Object: 'object',
};

const fullNames: Record<string, string> = {
  int: 'System.Int32', long: 'System.Int64', short: 'System.Int16', ushort: 'System.UInt16', uint: 'System.UInt32',
  ulong: 'System.UInt64', byte: 'System.Byte', sbyte: 'System.SByte', double: 'System.Double', float: 'System.Single',
  decimal: 'System.Decimal', bool: 'System.Boolean', string: 'System.String', char: 'System.Char', object: 'System.Object',
};

/** Types (canonical short name → namespace) that expressions may use. */
export const allowedTypes: Record<string, string> = {
  int: 'System', long: 'System', short: 'System', ushort: 'System', uint: 'System', ulong: 'System', byte: 'System',
  sbyte: 'System', double: 'System', float: 'System', decimal: 'System', bool: 'System', string: 'System', char: 'System',
  object: 'System',
  Math: 'System', Convert: 'System', Guid: 'System', DateTime: 'System', DateTimeOffset: 'System', TimeSpan: 'System',
  DateTimeKind: 'System', DayOfWeek: 'System', StringComparison: 'System', StringComparer: 'System',
  StringSplitOptions: 'System', Uri: 'System', UriKind: 'System', Random: 'System', Array: 'System', Nullable: 'System',
  Tuple: 'System', BitConverter: 'System', TimeZoneInfo: 'System', MidpointRounding: 'System', UriPartial: 'System',
  XmlNodeType: 'System.Xml',
  Encoding: 'System.Text', StringBuilder: 'System.Text',
  Enumerable: 'System.Linq',
  List: 'System.Collections.Generic', Dictionary: 'System.Collections.Generic', HashSet: 'System.Collections.Generic',
  KeyValuePair: 'System.Collections.Generic', IEnumerable: 'System.Collections.Generic', IList: 'System.Collections.Generic',
  IDictionary: 'System.Collections.Generic', IReadOnlyDictionary: 'System.Collections.Generic',
  ICollection: 'System.Collections.Generic', IReadOnlyList: 'System.Collections.Generic',
  IReadOnlyCollection: 'System.Collections.Generic',
  Regex: 'System.Text.RegularExpressions', RegexOptions: 'System.Text.RegularExpressions', Match: 'System.Text.RegularExpressions',
  Group: 'System.Text.RegularExpressions', MatchCollection: 'System.Text.RegularExpressions', GroupCollection: 'System.Text.RegularExpressions',
  Capture: 'System.Text.RegularExpressions',
  JToken: 'Newtonsoft.Json.Linq', JObject: 'Newtonsoft.Json.Linq', JArray: 'Newtonsoft.Json.Linq', JValue: 'Newtonsoft.Json.Linq',
  JProperty: 'Newtonsoft.Json.Linq', JContainer: 'Newtonsoft.Json.Linq', JTokenType: 'Newtonsoft.Json.Linq',
  JsonConvert: 'Newtonsoft.Json', Formatting: 'Newtonsoft.Json',
  SHA1: 'System.Security.Cryptography', SHA256: 'System.Security.Cryptography', SHA384: 'System.Security.Cryptography',
  SHA512: 'System.Security.Cryptography', MD5: 'System.Security.Cryptography', RSA: 'System.Security.Cryptography',
  RSAParameters: 'System.Security.Cryptography', HashAlgorithmName: 'System.Security.Cryptography',
  RSASignaturePadding: 'System.Security.Cryptography', RSAEncryptionPadding: 'System.Security.Cryptography', HMACSHA1: 'System.Security.Cryptography',
  HMACSHA256: 'System.Security.Cryptography', HMACSHA384: 'System.Security.Cryptography',
  HMACSHA512: 'System.Security.Cryptography', HMACMD5: 'System.Security.Cryptography',
  X509Certificate2: 'System.Security.Cryptography.X509Certificates', X509NameType: 'System.Security.Cryptography.X509Certificates',
  X500DistinguishedName: 'System.Security.Cryptography.X509Certificates',
  XDocument: 'System.Xml.Linq', XElement: 'System.Xml.Linq', XAttribute: 'System.Xml.Linq', XName: 'System.Xml.Linq',
  XNamespace: 'System.Xml.Linq', XNode: 'System.Xml.Linq', XText: 'System.Xml.Linq',
  WebUtility: 'System.Net', IPAddress: 'System.Net', AddressFamily: 'System.Net.Sockets', CultureInfo: 'System.Globalization', NumberStyles: 'System.Globalization',
  DateTimeStyles: 'System.Globalization',
  // APIM's own interfaces (context members, casts of variables).
  IResponse: 'Microsoft.Azure.ApiManagement', IRequest: 'Microsoft.Azure.ApiManagement', IMessageBody: 'Microsoft.Azure.ApiManagement',
  IUrl: 'Microsoft.Azure.ApiManagement', IApi: 'Microsoft.Azure.ApiManagement', IOperation: 'Microsoft.Azure.ApiManagement',
  IProduct: 'Microsoft.Azure.ApiManagement', ISubscription: 'Microsoft.Azure.ApiManagement', IUser: 'Microsoft.Azure.ApiManagement',
  IProxyRequestContext: 'Microsoft.Azure.ApiManagement', Jwt: 'Microsoft.Azure.ApiManagement',
  BasicAuthCredentials: 'Microsoft.Azure.ApiManagement', ILastError: 'Microsoft.Azure.ApiManagement',
  IDeployment: 'Microsoft.Azure.ApiManagement', IGroup: 'Microsoft.Azure.ApiManagement',
};

Object.assign(allowedTypes, exceptionTypes);

/** Canonical short name for a written type name, or undefined when it is not allowed. */
export function canonicalType(written: string): string | undefined {
  let name = written;
  if (name.startsWith('global::')) name = name.slice(8);
  const dot = name.lastIndexOf('.');
  const short = dot === -1 ? name : name.slice(dot + 1);
  const canonical = aliases[short] ?? short;
  const ns = allowedTypes[canonical];
  if (ns === undefined) return undefined;
  if (dot !== -1 && name.slice(0, dot) !== ns) return undefined;
  return canonical;
}

/** True when the dotted name is a prefix of an allowed type's namespace (e.g. `System.Text`). */
export function isNamespacePrefix(name: string): boolean {
  for (const ns of new Set(Object.values(allowedTypes))) if (ns === name || ns.startsWith(name + '.')) return true;
  return false;
}

/** Full .NET name for messages (`System.Int32`, `Newtonsoft.Json.Linq.JObject`). */
export function fullTypeName(canonical: string): string {
  return fullNames[canonical] ?? `${allowedTypes[canonical] ?? 'System'}.${canonical}`;
}

export const valueTypes = new Set(['int', 'long', 'short', 'ushort', 'uint', 'ulong', 'byte', 'sbyte', 'double', 'float', 'decimal', 'bool', 'char', 'DateTime', 'DateTimeOffset', 'TimeSpan', 'Guid']);
