/** Members of Guid, enums, StringBuilder, Random, Jwt, BasicAuthCredentials and anonymous objects. */
import { raise } from '../errors.js';
import { CharValue, DoubleValue, EnumValue, GuidValue, StringBuilderValue } from './values.js';
import { display } from './display.js';
import { compositeFormat } from './format-value.js';
import { compare } from './operators.js';
import { intArg, noOverload, strArg, type MemberTable } from './member-table.js';
import { RandomValue } from './random.js';
import { BasicCredentialsValue } from './auth-helpers.js';
import { parseGuid } from './convert.js';
import { randomUUID } from 'node:crypto';
import type { Runtime } from './budget.js';

/** Guid → the 16 bytes of ToByteArray() (first three fields little-endian). */
export function guidBytes(g: GuidValue): Uint8Array {
  const h = g.hex;
  const b = Buffer.from(h, 'hex');
  const out = Buffer.alloc(16);
  out[0] = b[3]!; out[1] = b[2]!; out[2] = b[1]!; out[3] = b[0]!;
  out[4] = b[5]!; out[5] = b[4]!; out[6] = b[7]!; out[7] = b[6]!;
  b.copy(out, 8, 8, 16);
  return new Uint8Array(out);
}

/** Instance members: guid. */
export const guidMembers: MemberTable = {
  methods: {
    ToString: (g: GuidValue, a) => g.format(a.length && typeof a[0] === 'string' ? a[0] || 'D' : 'D'),
    ToByteArray: (g: GuidValue) => guidBytes(g),
    CompareTo: (g: GuidValue, a) => compare(g, a[0]),
    // .NET: XOR of the four 32-bit words of the internal layout.
    GetHashCode: (g: GuidValue) => {
      const b = Buffer.from(guidBytes(g));
      return b.readInt32LE(0) ^ b.readInt32LE(4) ^ b.readInt32LE(8) ^ b.readInt32LE(12);
    },
  },
};

/** Static members: guid. */
export const guidStatics: MemberTable = {
  props: { Empty: () => new GuidValue('0'.repeat(32)) },
  methods: {
    NewGuid: () => new GuidValue(randomUUID().replace(/-/g, '')),
    Parse: (_: unknown, a) => parseGuid(strArg(a[0], 'input')) ?? raise('System.FormatException', 'Unrecognized Guid format.'),
    TryParse: (_: unknown, a) => {
      const g = typeof a[0] === 'string' ? parseGuid(a[0]) : undefined;
      (a[1] as { set(v: unknown): void }).set(g ?? new GuidValue('0'.repeat(32)));
      return g !== undefined;
    },
  },
};

/** `new Guid(string)` / `new Guid()` (empty). */
export function constructGuid(args: unknown[]): GuidValue {
  if (args.length === 0) return new GuidValue('0'.repeat(32));
  if (args[0] instanceof Uint8Array) {
    const b = args[0];
    if (b.length !== 16) raise('System.ArgumentException', "Byte array for Guid must be exactly 16 bytes long. (Parameter 'b')");
    const order = [3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15];
    return new GuidValue(order.map((i) => b[i]!.toString(16).padStart(2, '0')).join(''));
  }
  return parseGuid(strArg(args[0], 'g')) ?? raise('System.FormatException', 'Unrecognized Guid format.');
}

/** Instance members: enum. */
export const enumMembers: MemberTable = {
  methods: {
    ToString: (e: EnumValue, a) => (a.length && (a[0] === 'D' || a[0] === 'd') ? String(e.value) : e.name),
    HasFlag: (e: EnumValue, a) => (a[0] instanceof EnumValue ? (e.value & a[0].value) === a[0].value : noOverload('HasFlag', a)),
    CompareTo: (e: EnumValue, a) => compare(e, a[0]),
    GetHashCode: (e: EnumValue) => e.value,
  },
};

function append(sb: StringBuilderValue, text: string, rt: Runtime): StringBuilderValue {
  rt.checkLength(sb.length + text.length);
  sb.parts.push(text);
  sb.length += text.length;
  return sb;
}

/** `new StringBuilder([value|capacity])`. */
export function constructStringBuilder(args: unknown[], rt: Runtime): StringBuilderValue {
  const sb = new StringBuilderValue();
  if (typeof args[0] === 'string') append(sb, args[0], rt);
  return sb;
}

/** Instance members: string builder. */
export const stringBuilderMembers: MemberTable = {
  props: { Length: (sb: StringBuilderValue) => sb.length },
  methods: {
    Append: (sb: StringBuilderValue, a, site) => {
      if (a.length === 2 && typeof a[1] === 'number' && a[0] instanceof CharValue) {
        site.rt.checkLength(sb.length + Math.max(0, a[1]));
        return append(sb, display(a[0]).repeat(Math.max(0, a[1])), site.rt);
      }
      return append(sb, display(a[0]), site.rt);
    },
    AppendLine: (sb: StringBuilderValue, a, site) => append(sb, (a.length ? display(a[0]) : '') + '\r\n', site.rt),
    AppendFormat: (sb: StringBuilderValue, a, site) => append(sb, compositeFormat(strArg(a[0], 'format'), a.length === 2 && Array.isArray(a[1]) ? a[1] : a.slice(1), site.rt), site.rt),
    Insert: (sb: StringBuilderValue, a, site) => {
      const s = sb.toString();
      const at = intArg(a[0], 'index');
      if (at < 0 || at > s.length) raise('System.ArgumentOutOfRangeException', "Index was out of range. (Parameter 'index')");
      const text = display(a[1]);
      site.rt.checkLength(s.length + text.length);
      sb.parts = [s.slice(0, at) + text + s.slice(at)];
      sb.length = s.length + text.length;
      return sb;
    },
    Replace: (sb: StringBuilderValue, a, site) => {
      const s = sb.toString();
      const from = display(a[0]);
      if (from === '') raise('System.ArgumentException', "String cannot be of zero length. (Parameter 'oldValue')");
      const r = site.rt.str(s.split(from).join(display(a[1])));
      sb.parts = [r];
      sb.length = r.length;
      return sb;
    },
    Remove: (sb: StringBuilderValue, a) => {
      const s = sb.toString();
      const at = intArg(a[0], 'startIndex');
      const n = intArg(a[1], 'length');
      if (at < 0 || n < 0 || at + n > s.length) raise('System.ArgumentOutOfRangeException', "Index was out of range. (Parameter 'startIndex')");
      const r = s.slice(0, at) + s.slice(at + n);
      sb.parts = [r];
      sb.length = r.length;
      return sb;
    },
    Clear: (sb: StringBuilderValue) => {
      sb.parts = [];
      sb.length = 0;
      return sb;
    },
    ToString: (sb: StringBuilderValue, a) => {
      const s = sb.toString();
      return a.length === 2 ? s.substr(intArg(a[0], 'startIndex'), intArg(a[1], 'length')) : s;
    },
  },
};

/** Instance members: random. */
export const randomMembers: MemberTable = {
  methods: {
    Next: (r: RandomValue, a) => r.next(a[0] === undefined ? undefined : intArg(a[0], 'minValue'), a[1] === undefined ? undefined : intArg(a[1], 'maxValue')),
    NextDouble: (r: RandomValue) => new DoubleValue(r.sample()),
    NextBytes: (r: RandomValue, a) => {
      const b = a[0] as Uint8Array;
      for (let i = 0; i < b.length; i++) b[i] = r.next() % 256;
      return undefined;
    },
  },
};

/** Instance members: basic. */
export const basicMembers: MemberTable = {
  props: {
    UserId: (b: BasicCredentialsValue) => b.userId,
    Password: (b: BasicCredentialsValue) => b.password,
  },
};
