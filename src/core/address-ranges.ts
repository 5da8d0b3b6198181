/**
 * Sets of IP address ranges written as CIDR prefixes (`10.1.0.0/16`, `fd00::/8`) or single
 * addresses, for source-network checks and trusted proxies. IPv4-mapped IPv6 addresses
 * (`::ffff:10.1.0.7`, what a dual-stack socket reports) match their IPv4 ranges.
 */
import { BlockList, isIP } from 'node:net';

/** Why a range text was refused. */
export class AddressRangeError extends Error {}

/** One parsed range. */
export interface AddressRange {
  address: string;
  prefix: number;
  family: 'ipv4' | 'ipv6';
}

/** Parses `a.b.c.d/n`, `x::y/n` or a bare address (a /32 or /128); throws AddressRangeError. */
export function parseAddressRange(text: string): AddressRange {
  const trimmed = text.trim();
  const slash = trimmed.indexOf('/');
  const address = unmapped(slash === -1 ? trimmed : trimmed.slice(0, slash));
  const version = isIP(address);
  if (version === 0) throw new AddressRangeError(`'${text}' is not an IP address or CIDR prefix.`);
  const max = version === 4 ? 32 : 128;
  const prefixText = slash === -1 ? String(max) : trimmed.slice(slash + 1);
  if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > max) {
    throw new AddressRangeError(`'${text}' has an invalid prefix length (0 to ${max}).`);
  }
  return { address, prefix: Number(prefixText), family: version === 4 ? 'ipv4' : 'ipv6' };
}

/** An immutable set of ranges answering membership questions. */
export class AddressRanges {
  private readonly list = new BlockList();
  readonly ranges: readonly AddressRange[];

  constructor(ranges: readonly AddressRange[]) {
    this.ranges = ranges;
    for (const r of ranges) this.list.addSubnet(r.address, r.prefix, r.family);
  }

  /** Parses every text; throws AddressRangeError naming the first bad one. */
  static parse(texts: readonly string[]): AddressRanges {
    return new AddressRanges(texts.map(parseAddressRange));
  }

  get empty(): boolean {
    return this.ranges.length === 0;
  }

  /** Whether the address is inside any range; a text that is no IP address is never inside. */
  contains(address: string): boolean {
    const plain = unmapped(address);
    const version = isIP(plain);
    // Stryker disable next-line ConditionalExpression: BlockList.check also answers false for a text that is no address of the family asked
    if (version === 0) return false;
    return this.list.check(plain, version === 4 ? 'ipv4' : 'ipv6');
  }
}

/** `::ffff:10.1.0.7` → `10.1.0.7`; other texts unchanged. */
export function unmapped(address: string): string {
  // Every request's peer passes here: most are no IPv4-mapped address, told by the first character.
  if (address.charCodeAt(0) !== 0x3a /* ':' */) return address;
  return address.toLowerCase().startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}
