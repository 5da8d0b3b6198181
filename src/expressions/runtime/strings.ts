/**
 * System.String: instance members, static members (`string.Join`, `string.Format` …) and the
 * StringComparison rules (culture comparisons are treated as invariant).
 */
import { raise } from '../errors.js';
import { CharValue, EnumValue, ListValue } from './values.js';
import { compareOrdinal, compareStrings } from './operators.js';
import { display } from './display.js';
import { compositeFormat } from './format-value.js';
import { intArg, noOverload, strArg, type MemberTable } from './member-table.js';
import { toArray } from './sequence.js';
import type { Runtime } from './budget.js';

/** Whether a StringComparison / bool argument asks to ignore case. */
export function ignoreCaseOf(v: unknown): boolean {
  if (typeof v === 'boolean') return v;
  if (v instanceof EnumValue) return v.name.endsWith('IgnoreCase');
  return false;
}

function isComparison(v: unknown): boolean {
  return v instanceof EnumValue && v.type === 'System.StringComparison';
}

function fold(s: string, ignoreCase: boolean): string {
  return ignoreCase ? s.toUpperCase() : s;
}

function outOfRange(param: string, message: string): never {
  return raise('System.ArgumentOutOfRangeException', `${message} (Parameter '${param}')`);
}

function charsOf(v: unknown, rt: Runtime): string[] {
  if (v instanceof CharValue) return [v.toString()];
  if (typeof v === 'string') return [v];
  return toArray(v, rt).map((c) => display(c));
}

const whitespace = /[\s\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/;

function trim(s: string, chars: string[] | null, start: boolean, end: boolean): string {
  const test = (c: string): boolean => (chars === null || chars.length === 0 ? whitespace.test(c) : chars.includes(c));
  let a = 0;
  let b = s.length;
  if (start) while (a < b && test(s[a]!)) a++;
  if (end) while (b > a && test(s[b - 1]!)) b--;
  return s.slice(a, b);
}

function splitOptions(v: unknown): { removeEmpty: boolean; trim: boolean } {
  const n = v instanceof EnumValue ? v.value : 0;
  return { removeEmpty: (n & 1) !== 0, trim: (n & 2) !== 0 };
}

function split(s: string, seps: string[], count: number, options: { removeEmpty: boolean; trim: boolean }): string[] {
  if (count < 0) outOfRange('count', 'Count cannot be less than zero.');
  if (count === 0) return [];
  const useWhitespace = seps.length === 0 || seps.every((x) => x === '');
  const out: string[] = [];
  let start = 0;
  let i = 0;
  const push = (part: string): void => {
    const p = options.trim ? part.trim() : part;
    if (!(options.removeEmpty && p === '')) out.push(p);
  };
  while (i <= s.length) {
    if (out.length === count - 1) break;
    let matched = -1;
    if (useWhitespace) {
      if (i < s.length && whitespace.test(s[i]!)) matched = 1;
    } else {
      for (const sep of seps) {
        if (sep !== '' && s.startsWith(sep, i)) {
          matched = sep.length;
          break;
        }
      }
    }
    if (matched > 0) {
      push(s.slice(start, i));
      i += matched;
      start = i;
    } else i++;
  }
  push(s.slice(start));
  return out;
}

function indexOf(s: string, value: string, from: number, ignoreCase: boolean): number {
  return fold(s, ignoreCase).indexOf(fold(value, ignoreCase), from);
}

/** Instance members: string. */
export const stringMembers: MemberTable = {
  props: {
    Length: (s: string) => s.length,
  },
  methods: {
    Substring(s: string, args) {
      const start = intArg(args[0], 'startIndex');
      if (start < 0 || start > s.length) outOfRange('startIndex', 'startIndex cannot be larger than length of string.');
      if (args.length === 1) return s.slice(start);
      const len = intArg(args[1], 'length');
      if (len < 0 || start + len > s.length) outOfRange('length', 'Index and length must refer to a location within the string.');
      return s.slice(start, start + len);
    },
    IndexOf(s: string, args) {
      const needle = args[0] instanceof CharValue ? args[0].toString() : strArg(args[0], 'value');
      let from = 0;
      let ic = false;
      if (args.length >= 2 && typeof args[1] === 'number') from = args[1];
      if (args.length >= 2 && isComparison(args[args.length - 1])) ic = ignoreCaseOf(args[args.length - 1]);
      if (from < 0 || from > s.length) outOfRange('startIndex', 'Index was out of range. Must be non-negative and less than or equal to the size of the collection.');
      const idx = indexOf(s, needle, from, ic);
      if (args.length >= 3 && typeof args[2] === 'number' && idx !== -1 && idx + needle.length > from + args[2]) return -1;
      return idx;
    },
    LastIndexOf(s: string, args) {
      const needle = args[0] instanceof CharValue ? args[0].toString() : strArg(args[0], 'value');
      const ic = args.length >= 2 && isComparison(args[args.length - 1]) ? ignoreCaseOf(args[args.length - 1]) : false;
      const from = args.length >= 2 && typeof args[1] === 'number' ? args[1] : s.length;
      return fold(s, ic).lastIndexOf(fold(needle, ic), from);
    },
    IndexOfAny(s: string, args, site) {
      const chars = charsOf(args[0], site.rt);
      for (let i = typeof args[1] === 'number' ? args[1] : 0; i < s.length; i++) if (chars.includes(s[i]!)) return i;
      return -1;
    },
    Contains(s: string, args) {
      const needle = args[0] instanceof CharValue ? args[0].toString() : strArg(args[0], 'value');
      return indexOf(s, needle, 0, args.length > 1 && ignoreCaseOf(args[1])) !== -1;
    },
    StartsWith(s: string, args) {
      const p = args[0] instanceof CharValue ? args[0].toString() : strArg(args[0], 'value');
      return fold(s, args.length > 1 && ignoreCaseOf(args[1])).startsWith(fold(p, args.length > 1 && ignoreCaseOf(args[1])));
    },
    EndsWith(s: string, args) {
      const p = args[0] instanceof CharValue ? args[0].toString() : strArg(args[0], 'value');
      return fold(s, args.length > 1 && ignoreCaseOf(args[1])).endsWith(fold(p, args.length > 1 && ignoreCaseOf(args[1])));
    },
    ToLower: (s: string) => s.toLowerCase(),
    ToUpper: (s: string) => s.toUpperCase(),
    ToLowerInvariant: (s: string) => s.toLowerCase(),
    ToUpperInvariant: (s: string) => s.toUpperCase(),
    Trim: (s: string, args, site) => trim(s, args.length ? args.flatMap((a) => charsOf(a, site.rt)) : null, true, true),
    TrimStart: (s: string, args, site) => trim(s, args.length ? args.flatMap((a) => charsOf(a, site.rt)) : null, true, false),
    TrimEnd: (s: string, args, site) => trim(s, args.length ? args.flatMap((a) => charsOf(a, site.rt)) : null, false, true),
    Split(s: string, args, site) {
      let seps: string[] = [];
      let count = Number.MAX_SAFE_INTEGER;
      let options = { removeEmpty: false, trim: false };
      const rest = [...args];
      if (rest.length > 0 && rest[rest.length - 1] instanceof EnumValue) options = splitOptions(rest.pop());
      if (rest.length > 1 && typeof rest[rest.length - 1] === 'number') count = rest.pop() as number;
      for (const a of rest) {
        if (a === null) continue;
        if (typeof a === 'string' || a instanceof CharValue) seps.push(display(a));
        else seps = seps.concat(charsOf(a, site.rt));
      }
      const parts = split(s, seps, count, options);
      site.rt.checkSize(parts.length);
      return parts;
    },
    Replace(s: string, args, site) {
      if (args.length !== 2) return noOverload('Replace', args);
      const from = args[0] instanceof CharValue ? args[0].toString() : strArg(args[0], 'oldValue');
      if (from === '') raise('System.ArgumentException', "String cannot be of zero length. (Parameter 'oldValue')");
      const to = args[1] === null ? '' : args[1] instanceof CharValue ? args[1].toString() : strArg(args[1], 'newValue');
      const count = s.split(from).length - 1;
      site.rt.checkLength(s.length + count * (to.length - from.length));
      return s.split(from).join(to);
    },
    Insert(s: string, args, site) {
      const at = intArg(args[0], 'startIndex');
      if (at < 0 || at > s.length) outOfRange('startIndex', 'Index was out of range.');
      const v = strArg(args[1], 'value');
      site.rt.checkLength(s.length + v.length);
      return s.slice(0, at) + v + s.slice(at);
    },
    Remove(s: string, args) {
      const at = intArg(args[0], 'startIndex');
      if (at < 0 || at > s.length) outOfRange('startIndex', 'startIndex must be less than length of string.');
      if (args.length === 1) return s.slice(0, at);
      const n = intArg(args[1], 'count');
      if (n < 0 || at + n > s.length) outOfRange('count', 'Index and count must refer to a location within the string.');
      return s.slice(0, at) + s.slice(at + n);
    },
    PadLeft(s: string, args, site) {
      const n = intArg(args[0], 'totalWidth');
      if (n < 0) outOfRange('totalWidth', 'Non-negative number required.');
      site.rt.checkLength(n);
      return s.padStart(n, args.length > 1 ? display(args[1]) : ' ');
    },
    PadRight(s: string, args, site) {
      const n = intArg(args[0], 'totalWidth');
      if (n < 0) outOfRange('totalWidth', 'Non-negative number required.');
      site.rt.checkLength(n);
      return s.padEnd(n, args.length > 1 ? display(args[1]) : ' ');
    },
    Equals(s: string, args) {
      const other = args[0];
      if (typeof other !== 'string') return false;
      const ic = args.length > 1 && ignoreCaseOf(args[1]);
      return fold(s, ic) === fold(other, ic);
    },
    CompareTo(s: string, args) {
      if (args[0] === null) return 1;
      return compareStrings(s, strArg(args[0], 'strB'));
    },
    ToCharArray: (s: string, _a, site) => {
      site.rt.checkSize(s.length);
      site.rt.work(s.length);
      return Array.from({ length: s.length }, (_, i) => new CharValue(s.charCodeAt(i)));
    },
    ToString: (s: string) => s,
    GetHashCode: (s: string) => {
      let h = 0;
      for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
      return h;
    },
    Normalize: (s: string) => s.normalize('NFC'),
  },
};

function joinValues(sep: string, values: unknown[], rt: Runtime): string {
  let len = 0;
  const parts = values.map((v) => {
    const t = display(v);
    len += t.length + sep.length;
    if (len > rt.limits.maxStringLength) rt.checkLength(len);
    return t;
  });
  return parts.join(sep);
}

function flattenParams(args: unknown[], rt: Runtime): unknown[] {
  if (args.length === 1 && args[0] !== null && typeof args[0] !== 'string' && (Array.isArray(args[0]) || args[0] instanceof ListValue || typeof args[0] === 'object')) {
    try {
      return toArray(args[0], rt);
    } catch {
      return args;
    }
  }
  return args;
}

/** Static members: string. */
export const stringStatics: MemberTable = {
  props: {
    Empty: () => '',
  },
  methods: {
    IsNullOrEmpty: (_: unknown, args) => args[0] === null || args[0] === '',
    IsNullOrWhiteSpace: (_: unknown, args) => args[0] === null || (typeof args[0] === 'string' && trim(args[0], null, true, true) === ''),
    Join(_: unknown, args, site) {
      const sep = args[0] === null ? '' : display(args[0]);
      const values = args.length === 2 ? flattenParams([args[1]], site.rt) : args.slice(1);
      return joinValues(sep, values, site.rt);
    },
    Concat(_: unknown, args, site) {
      const values = flattenParams(args, site.rt);
      return joinValues('', values, site.rt);
    },
    Format(_: unknown, args, site) {
      let rest = args;
      if (rest.length > 0 && rest[0] !== null && typeof rest[0] === 'object' && (rest[0] as { typeName?: string }).typeName === 'CultureInfo') rest = rest.slice(1);
      const fmt = rest[0] === null ? null : strArg(rest[0], 'format');
      const items = rest.length === 2 && Array.isArray(rest[1]) ? (rest[1] as unknown[]) : rest.slice(1);
      return compositeFormat(fmt, items, site.rt);
    },
    Equals(_: unknown, args) {
      const [a, b] = args;
      if (a === null || b === null) return a === b;
      if (typeof a !== 'string' || typeof b !== 'string') return false;
      const ic = args.length > 2 && ignoreCaseOf(args[2]);
      return fold(a, ic) === fold(b, ic);
    },
    Compare(_: unknown, args) {
      const [a, b] = args;
      if (a === null) return b === null ? 0 : -1;
      if (b === null) return 1;
      const sa = strArg(a, 'strA');
      const sb = strArg(b, 'strB');
      const third = args[2];
      if (third instanceof EnumValue && (third.name === 'Ordinal' || third.name === 'OrdinalIgnoreCase')) {
        const ic = third.name === 'OrdinalIgnoreCase';
        return Math.sign(compareOrdinal(fold(sa, ic), fold(sb, ic)));
      }
      if (ignoreCaseOf(third)) return compareStrings(sa.toLowerCase(), sb.toLowerCase());
      return compareStrings(sa, sb);
    },
    CompareOrdinal: (_: unknown, args) => {
      const a = args[0] as string | null;
      const b = args[1] as string | null;
      if (a === null) return b === null ? 0 : -1;
      if (b === null) return 1;
      return compareOrdinal(a, b);
    },
    Copy: (_: unknown, args) => strArg(args[0], 'str'),
  },
};

/** `new string(c, n)` / `new string(char[])`. */
export function constructString(args: unknown[], rt: Runtime): string {
  if (args.length === 2 && args[0] instanceof CharValue) {
    const n = intArg(args[1], 'count');
    if (n < 0) outOfRange('count', 'Non-negative number required.');
    rt.checkLength(n);
    return args[0].toString().repeat(n);
  }
  if (args.length >= 1) {
    const chars = toArray(args[0], rt).map((c) => display(c));
    if (args.length === 3) return chars.slice(intArg(args[1], 'startIndex'), intArg(args[1], 'startIndex') + intArg(args[2], 'length')).join('');
    return chars.join('');
  }
  return noOverload('string', args);
}
