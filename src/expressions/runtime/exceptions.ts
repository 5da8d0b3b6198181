/**
 * .NET exceptions as values: what `catch (FormatException e)` binds, `new Exception("…")`
 * builds and `throw` raises, with the base-type relations policies rely on when catching.
 */
import { DotNetException } from '../errors.js';
import type { MemberTable } from './member-table.js';

/** Exception types expressions may name (short name → namespace). */
export const exceptionTypes: Record<string, string> = {
  Exception: 'System', SystemException: 'System', ArgumentException: 'System', ArgumentNullException: 'System',
  ArgumentOutOfRangeException: 'System', InvalidOperationException: 'System', FormatException: 'System',
  NullReferenceException: 'System', InvalidCastException: 'System', OverflowException: 'System',
  DivideByZeroException: 'System', ArithmeticException: 'System', IndexOutOfRangeException: 'System',
  NotSupportedException: 'System', UriFormatException: 'System', KeyNotFoundException: 'System.Collections.Generic',
  JsonException: 'Newtonsoft.Json', JsonReaderException: 'Newtonsoft.Json', JsonSerializationException: 'Newtonsoft.Json',
  XmlException: 'System.Xml', XPathException: 'System.Xml.XPath', CryptographicException: 'System.Security.Cryptography',
  TimeoutException: 'System', RegexMatchTimeoutException: 'System.Text.RegularExpressions',
  TimeZoneNotFoundException: 'System',
};

const bases: Record<string, string> = {
  SystemException: 'Exception', ArgumentException: 'SystemException', ArgumentNullException: 'ArgumentException',
  ArgumentOutOfRangeException: 'ArgumentException', InvalidOperationException: 'SystemException', FormatException: 'SystemException',
  UriFormatException: 'FormatException', NullReferenceException: 'SystemException', InvalidCastException: 'SystemException',
  ArithmeticException: 'SystemException', OverflowException: 'ArithmeticException', DivideByZeroException: 'ArithmeticException',
  IndexOutOfRangeException: 'SystemException', NotSupportedException: 'SystemException', KeyNotFoundException: 'SystemException',
  JsonException: 'Exception', JsonReaderException: 'JsonException', JsonSerializationException: 'JsonException',
  XmlException: 'SystemException', XPathException: 'SystemException', CryptographicException: 'SystemException',
  TimeoutException: 'SystemException', RegexMatchTimeoutException: 'TimeoutException',
  // .NET derives it from Exception directly, not SystemException.
  TimeZoneNotFoundException: 'Exception',
};

/** The runtime value of an exception. */
export class ExceptionValue {
  constructor(
    /** Full .NET type name, e.g. `System.FormatException`. */
    readonly typeName: string,
    readonly message: string,
  ) {}
  toString(): string {
    return `${this.typeName}: ${this.message}`;
  }
}

/** True when an exception of `thrownType` (full name) is caught by `catch (<shortName>)`. */
export function exceptionMatches(thrownType: string, shortName: string): boolean {
  let t: string | undefined = thrownType.slice(thrownType.lastIndexOf('.') + 1);
  while (t) {
    if (t === shortName) return true;
    t = bases[t] ?? (t === 'Exception' ? undefined : 'Exception');
  }
  return false;
}

/** The value a catch clause binds for a raised exception. */
export function exceptionValueOf(err: DotNetException): ExceptionValue {
  return new ExceptionValue(err.exceptionType, err.dotnetMessage);
}

/**
 * The argument exceptions' own defaults, and which constructor argument names the parameter: the
 * one string of `new ArgumentNullException("p")` is a parameter name, not a message (.NET docs).
 */
const argumentExceptions: Record<string, { defaultMessage: string; paramNameFirst: boolean }> = {
  ArgumentException: { defaultMessage: 'Value does not fall within the expected range.', paramNameFirst: false },
  ArgumentNullException: { defaultMessage: 'Value cannot be null.', paramNameFirst: true },
  ArgumentOutOfRangeException: { defaultMessage: 'Specified argument was out of the range of valid values.', paramNameFirst: true },
};

/** `new FormatException("…")` and friends. */
export function constructException(shortName: string, args: unknown[]): ExceptionValue {
  const ns = exceptionTypes[shortName] ?? 'System';
  const full = `${ns}.${shortName}`;
  const text = (i: number) => (typeof args[i] === 'string' ? (args[i] as string) : undefined);
  const argument = argumentExceptions[shortName];
  if (argument) {
    // ArgumentException(message, paramName); ArgumentNullException(paramName[, message]) and
    // ArgumentOutOfRangeException(paramName[, message]). .NET appends " (Parameter 'name')".
    const paramName = argument.paramNameFirst ? text(0) : text(1);
    const message = (argument.paramNameFirst ? text(1) : text(0)) ?? argument.defaultMessage;
    return new ExceptionValue(full, paramName ? `${message} (Parameter '${paramName}')` : message);
  }
  const message = text(0) ?? `Exception of type '${full}' was thrown.`;
  return new ExceptionValue(full, message);
}

/** Instance members: exception. */
export const exceptionMembers: MemberTable = {
  props: {
    Message: (e: ExceptionValue) => e.message,
    InnerException: () => null,
    StackTrace: () => null,
    Source: () => null,
  },
  methods: {
    ToString: (e: ExceptionValue) => e.toString(),
  },
};
