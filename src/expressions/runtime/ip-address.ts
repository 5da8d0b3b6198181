/**
 * System.Net.IPAddress: parsing as .NET does (IPv4 including the legacy 1–4 part decimal/octal/hex
 * forms, IPv6 with embedded IPv4, brackets and a numeric scope id) and .NET's RFC 5952 text.
 */
import { isIPv6 } from 'node:net';
import { raise } from '../errors.js';
import { EnumValue, type OutSlot } from './values.js';
import { isOutSlot, noOverload, strArg, type MemberTable } from './member-table.js';
import { bytesArg } from './crypto.js';
import type { Runtime } from './budget.js';

/** The runtime value of IPAddress: 4 or 16 bytes in network order, plus an IPv6 scope id. */
export class IPAddressValue {
  readonly typeName = 'System.Net.IPAddress';
  constructor(
    readonly bytes: Uint8Array,
    readonly scopeId = 0n,
  ) {}
  get isV4(): boolean {
    return this.bytes.length === 4;
  }
  toString(): string {
    return this.isV4 ? this.bytes.join('.') : ipv6Text(this.bytes, this.scopeId);
  }
}

function words(bytes: Uint8Array): number[] {
  const w: number[] = [];
  for (let i = 0; i < 16; i += 2) w.push((bytes[i]! << 8) | bytes[i + 1]!);
  return w;
}

/** .NET's rule for printing the last 32 bits as dotted IPv4 (mapped, compatible, SIIT, ISATAP). */
function embedsIPv4(w: number[]): boolean {
  if (w[0] === 0 && w[1] === 0 && w[2] === 0 && w[3] === 0 && w[6] !== 0) {
    if (w[4] === 0 && w[5] === 0) return true;
    if (w[4] === 0 && w[5] === 0xffff) return true;
    if (w[4] === 0xffff && w[5] === 0) return true;
  }
  return w[4] === 0 && w[5] === 0x5efe;
}

function ipv6Text(bytes: Uint8Array, scopeId: bigint): string {
  const w = words(bytes);
  const embedded = embedsIPv4(w);
  const count = embedded ? 6 : 8;
  // The longest run of two or more zero words (the first on a tie) becomes "::".
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < count; ) {
    if (w[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < count && w[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = (from: number, to: number): string => w.slice(from, to).map((x) => x.toString(16)).join(':');
  let text: string;
  if (bestStart < 0) text = hex(0, count);
  else {
    const head = hex(0, bestStart);
    const tail = hex(bestStart + bestLength, count);
    text = `${head}::${tail}`;
  }
  if (embedded) text += (text.endsWith(':') ? '' : ':') + Array.from(bytes.slice(12)).join('.');
  return scopeId !== 0n ? `${text}%${scopeId}` : text;
}

/** IPv4 in .NET's accepted forms: `a.b.c.d`, `a.b.c`, `a.b`, `a`, each part decimal, 0-octal or 0x-hex. */
function parseIPv4(text: string): Uint8Array | undefined {
  const parts = text.split('.');
  if (parts.length > 4) return undefined;
  const values: number[] = [];
  for (const p of parts) {
    let n: number;
    if (/^0[xX][0-9a-fA-F]*$/.test(p)) n = p.length === 2 ? 0 : parseInt(p.slice(2), 16);
    else if (/^0[0-7]*$/.test(p)) n = parseInt(p, 8);
    else if (/^[1-9]\d*$/.test(p)) n = Number(p);
    else return undefined;
    if (!Number.isFinite(n) || n > 0xffffffff) return undefined;
    values.push(n);
  }
  const last = values.pop()!;
  if (values.some((v) => v > 255)) return undefined;
  const remaining = 4 - values.length;
  if (last >= 2 ** (8 * remaining)) return undefined;
  const bytes = new Uint8Array(4);
  values.forEach((v, i) => (bytes[i] = v));
  for (let i = 3, rest = last; i >= values.length; i--, rest = Math.floor(rest / 256)) bytes[i] = rest % 256;
  return bytes;
}

function parseIPv6(text: string): IPAddressValue | undefined {
  let s = text;
  if (s.startsWith('[')) {
    const close = s.indexOf(']');
    if (close < 0) return undefined;
    const after = s.slice(close + 1);
    if (after !== '' && !/^:\d+$/.test(after)) return undefined;
    s = s.slice(1, close);
  }
  let scope = 0n;
  const percent = s.indexOf('%');
  if (percent >= 0) {
    const id = s.slice(percent + 1);
    if (!/^\d+$/.test(id) || BigInt(id) > 0xffffffffn) return undefined;
    scope = BigInt(id);
    s = s.slice(0, percent);
  }
  if (!isIPv6(s)) return undefined;
  let tailV4: number[] = [];
  const lastColon = s.lastIndexOf(':');
  if (s.slice(lastColon + 1).includes('.')) {
    tailV4 = s.slice(lastColon + 1).split('.').map(Number);
    s = s.slice(0, lastColon + 1) + '0:0';
  }
  const [head, tail] = s.includes('::') ? s.split('::') as [string, string] : [s, undefined];
  const headWords = head === '' ? [] : head.split(':');
  const tailWords = tail === undefined || tail === '' ? [] : tail.split(':');
  const all = tail === undefined ? headWords : [...headWords, ...Array<string>(8 - headWords.length - tailWords.length).fill('0'), ...tailWords];
  if (all.length !== 8) return undefined;
  const bytes = new Uint8Array(16);
  all.forEach((word, i) => {
    const n = parseInt(word, 16);
    bytes[2 * i] = n >> 8;
    bytes[2 * i + 1] = n & 255;
  });
  if (tailV4.length === 4) bytes.set(tailV4, 12);
  return new IPAddressValue(bytes, scope);
}

/** Parses .NET's accepted IP address texts; undefined when invalid. */
export function parseIPAddress(text: string): IPAddressValue | undefined {
  if (text.includes(':')) return parseIPv6(text);
  const v4 = parseIPv4(text);
  return v4 ? new IPAddressValue(v4) : undefined;
}

function ipArg(v: unknown, param: string): IPAddressValue {
  if (v === null) return raise('System.ArgumentNullException', `Value cannot be null. (Parameter '${param}')`);
  if (!(v instanceof IPAddressValue)) return noOverload(param, [v]);
  return v;
}

function family(ip: IPAddressValue): EnumValue {
  return ip.isV4
    ? new EnumValue('System.Net.Sockets.AddressFamily', 'InterNetwork', 2)
    : new EnumValue('System.Net.Sockets.AddressFamily', 'InterNetworkV6', 23);
}

const loopbackV6 = new Uint8Array(16);
loopbackV6[15] = 1;

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function isLoopback(ip: IPAddressValue): boolean {
  if (ip.isV4) return ip.bytes[0] === 127;
  return sameBytes(ip.bytes, loopbackV6) && ip.scopeId === 0n;
}

function isMappedV4(ip: IPAddressValue): boolean {
  if (ip.isV4) return false;
  const w = words(ip.bytes);
  return w.slice(0, 5).every((x) => x === 0) && w[5] === 0xffff;
}

const invalidAddress = (): never => raise('System.FormatException', 'An invalid IP address was specified.');

/** Static members: IPAddress. */
export const ipAddressStatics: MemberTable = {
  props: {
    Any: () => new IPAddressValue(new Uint8Array(4)),
    Loopback: () => new IPAddressValue(Uint8Array.of(127, 0, 0, 1)),
    Broadcast: () => new IPAddressValue(Uint8Array.of(255, 255, 255, 255)),
    None: () => new IPAddressValue(Uint8Array.of(255, 255, 255, 255)),
    IPv6Any: () => new IPAddressValue(new Uint8Array(16)),
    IPv6Loopback: () => new IPAddressValue(loopbackV6.slice()),
    IPv6None: () => new IPAddressValue(new Uint8Array(16)),
  },
  methods: {
    Parse: (_: unknown, a) => {
      if (a[0] === null) return raise('System.ArgumentNullException', "Value cannot be null. (Parameter 'ipString')");
      return parseIPAddress(strArg(a[0], 'ipString')) ?? invalidAddress();
    },
    TryParse: (_: unknown, a) => {
      const slot = a[1];
      if (!isOutSlot(slot)) return noOverload('TryParse', a);
      const ip = typeof a[0] === 'string' ? parseIPAddress(a[0]) : undefined;
      (slot as OutSlot).set(ip ?? null);
      return ip !== undefined;
    },
    IsLoopback: (_: unknown, a) => isLoopback(ipArg(a[0], 'address')),
  },
};

/** `new IPAddress(byte[] [, scopeid])` and `new IPAddress(long)` (little-endian, as .NET). */
export function constructIPAddress(args: unknown[], rt: Runtime): IPAddressValue {
  const first = args[0];
  if (typeof first === 'number' || typeof first === 'bigint') {
    const n = BigInt(first);
    if (n < 0n || n > 0xffffffffn) return raise('System.ArgumentOutOfRangeException', "Specified argument was out of the range of valid values. (Parameter 'newAddress')");
    return new IPAddressValue(Uint8Array.of(Number(n & 255n), Number((n >> 8n) & 255n), Number((n >> 16n) & 255n), Number(n >> 24n)));
  }
  if (first === null) return raise('System.ArgumentNullException', "Value cannot be null. (Parameter 'address')");
  const bytes = bytesArg(first, rt, 'address');
  if (bytes.length !== 4 && bytes.length !== 16) return raise('System.ArgumentException', "An invalid IP address was specified. (Parameter 'address')");
  const scope = args.length > 1 ? BigInt(args[1] as number | bigint) : 0n;
  return new IPAddressValue(Uint8Array.from(bytes), bytes.length === 16 ? scope : 0n);
}

/** Instance members: IPAddress. */
export const ipAddressMembers: MemberTable = {
  props: {
    AddressFamily: (ip: IPAddressValue) => family(ip),
    IsIPv4MappedToIPv6: (ip: IPAddressValue) => isMappedV4(ip),
    IsIPv6LinkLocal: (ip: IPAddressValue) => !ip.isV4 && ip.bytes[0] === 0xfe && (ip.bytes[1]! & 0xc0) === 0x80,
    IsIPv6SiteLocal: (ip: IPAddressValue) => !ip.isV4 && ip.bytes[0] === 0xfe && (ip.bytes[1]! & 0xc0) === 0xc0,
    IsIPv6Multicast: (ip: IPAddressValue) => !ip.isV4 && ip.bytes[0] === 0xff,
    IsIPv6Teredo: (ip: IPAddressValue) => !ip.isV4 && ip.bytes[0] === 0x20 && ip.bytes[1] === 0x01 && ip.bytes[2] === 0 && ip.bytes[3] === 0,
    ScopeId: (ip: IPAddressValue) => {
      if (ip.isV4) return raise('System.Net.Sockets.SocketException', 'The attempted operation is not supported for the type of object referenced.');
      return ip.scopeId;
    },
  },
  methods: {
    ToString: (ip: IPAddressValue) => ip.toString(),
    GetAddressBytes: (ip: IPAddressValue) => ip.bytes.slice(),
    Equals: (ip: IPAddressValue, a) => a[0] instanceof IPAddressValue && sameBytes(ip.bytes, a[0].bytes) && ip.scopeId === a[0].scopeId,
    MapToIPv4: (ip: IPAddressValue) => (ip.isV4 ? ip : new IPAddressValue(ip.bytes.slice(12))),
    MapToIPv6: (ip: IPAddressValue) => {
      if (!ip.isV4) return ip;
      const bytes = new Uint8Array(16);
      bytes[10] = 0xff;
      bytes[11] = 0xff;
      bytes.set(ip.bytes, 12);
      return new IPAddressValue(bytes);
    },
  },
};
