/**
 * Address arithmetic the Microsoft.Network side needs beyond `core/address-ranges.ts` (which
 * only answers membership): a prefix's first and last address, whether it is written on its
 * network boundary (Azure refuses `10.0.0.5/24`), whether two prefixes overlap or one holds the
 * other, and the n-th address of a subnet for private endpoint allocation. Both families are
 * handled as integers (BigInt), so IPv4 and IPv6 share one code path.
 */
import { isIP } from 'node:net';
import { AddressRangeError, parseAddressRange, unmapped } from '../../core/address-ranges.js';

export type IpFamily = 'ipv4' | 'ipv6';

/** An address as an integer of its family. */
export interface IpAddressValue {
  family: IpFamily;
  value: bigint;
}

/** A CIDR prefix with its bounds. */
export interface IpPrefix {
  /** The text as given (trimmed). */
  text: string;
  family: IpFamily;
  length: number;
  first: bigint;
  last: bigint;
}

/** A prefix whose address has host bits set (`10.0.0.5/24`), which Azure refuses. */
export class NonCanonicalPrefixError extends Error {
  constructor(
    readonly text: string,
    readonly canonical: string,
  ) {
    super(`The address prefix ${text} has an invalid CIDR notation. For the given prefix length, the address prefix should be ${canonical}.`);
    this.name = 'NonCanonicalPrefixError';
  }
}

const bits = (family: IpFamily): number => (family === 'ipv4' ? 32 : 128);

/** Parses an IP address text into its integer; undefined when the text is no address. */
export function parseIpAddress(text: string): IpAddressValue | undefined {
  const plain = unmapped(text.trim());
  const version = isIP(plain);
  if (version === 4) {
    return { family: 'ipv4', value: plain.split('.').reduce((acc, octet) => (acc << 8n) | BigInt(Number(octet)), 0n) };
  }
  if (version !== 6) return undefined;
  // The URL parser writes IPv6 in canonical hex pieces (embedded IPv4 included); expand `::`.
  const canonical = new URL(`http://[${plain}]`).hostname.slice(1, -1);
  const [head, tail] = canonical.includes('::') ? canonical.split('::') : [canonical, undefined];
  const headPieces = head ? head.split(':') : [];
  const tailPieces = tail ? tail.split(':') : [];
  const pieces = tail === undefined ? headPieces : [...headPieces, ...Array<string>(8 - headPieces.length - tailPieces.length).fill('0'), ...tailPieces];
  return { family: 'ipv6', value: pieces.reduce((acc, piece) => (acc << 16n) | BigInt(parseInt(piece, 16)), 0n) };
}

/** Writes an address integer in its family's canonical text. */
export function formatIpAddress(address: IpAddressValue): string {
  if (address.family === 'ipv4') {
    return [24n, 16n, 8n, 0n].map((shift) => String((address.value >> shift) & 0xffn)).join('.');
  }
  const pieces: string[] = [];
  for (let shift = 112n; shift >= 0n; shift -= 16n) pieces.push(((address.value >> shift) & 0xffffn).toString(16));
  return new URL(`http://[${pieces.join(':')}]`).hostname.slice(1, -1);
}

/**
 * Parses a CIDR prefix that must sit on its network boundary; throws AddressRangeError for
 * malformed text and NonCanonicalPrefixError for host bits set.
 */
export function parseIpPrefix(text: string): IpPrefix {
  const trimmed = text.trim();
  if (!trimmed.includes('/')) throw new AddressRangeError(`'${text}' is not a CIDR prefix (address/length).`);
  const range = parseAddressRange(trimmed);
  const address = parseIpAddress(range.address)!;
  const size = 1n << BigInt(bits(range.family) - range.prefix);
  const first = address.value - (address.value % size);
  if (first !== address.value) throw new NonCanonicalPrefixError(trimmed, `${formatIpAddress({ family: range.family, value: first })}/${range.prefix}`);
  return { text: trimmed, family: range.family, length: range.prefix, first, last: first + size - 1n };
}

/** Whether two prefixes share any address. */
export function prefixesOverlap(a: IpPrefix, b: IpPrefix): boolean {
  return a.family === b.family && a.first <= b.last && b.first <= a.last;
}

/** Whether `inner` lies wholly inside `outer`. */
export function prefixContainsPrefix(outer: IpPrefix, inner: IpPrefix): boolean {
  return outer.family === inner.family && outer.first <= inner.first && inner.last <= outer.last;
}

/** Whether the address lies inside the prefix. */
export function prefixContainsAddress(prefix: IpPrefix, address: IpAddressValue): boolean {
  return prefix.family === address.family && prefix.first <= address.value && address.value <= prefix.last;
}
