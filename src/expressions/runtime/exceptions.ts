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
  XmlException: 'System.Xml', CryptographicException: 'System.Security.Cryptography',
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
  XmlException: 'SystemException', CryptographicException: 'SystemException',
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

/** `new FormatException("…")` and friends. */
export function constructException(shortName: string, args: unknown[]): ExceptionValue {
  const ns = exceptionTypes[shortName] ?? 'System';
  const full = `${ns}.${shortName}`;
  const message = args.length > 0 && typeof args[0] === 'string' ? args[0] : `Exception of type '${full}' was thrown.`;
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
