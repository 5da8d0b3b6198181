/**
 * `ip-filter`: allows or forbids callers by IP address and address range, IPv4 and IPv6
 * (reference §3 Access / auth; LastError texts from §2.4). Matching uses Node's `net.BlockList`.
 */
import { BlockList, isIP } from 'node:net';
import { unmapped } from '../core/address-ranges.js';
import { PolicyRuntimeError, type GatewayContext } from '../pipeline/gateway-context.js';
import type { AttributeSpec, PolicyModule } from '../pipeline/policy-module.js';
import type { Value } from '../pipeline/value.js';
import { attribute, childElements } from '../pipeline/xml.js';

type Family = 'ipv4' | 'ipv6';

/** The status and body Azure sends a filtered caller ({"statusCode":403,"message":"Forbidden"}). */
const deniedStatus = 403;
const deniedClientMessage = 'Forbidden';

export const ipFilter: PolicyModule = {
  name: 'ip-filter',
  sections: ['inbound'],
  attributes: {
    action: { type: 'enum', values: ['allow', 'forbid'], required: true, expression: true },
  },
  compile(element, ctx) {
    const action = ctx.string(element, 'action')!;
    const fixed = new BlockList();
    const dynamic: Value<string>[] = [];
    // `from` and `to` are plain strings, never expressions; their presence is checked below.
    // Stryker disable next-line ObjectLiteral,StringLiteral: ctx.string reads the type only to find enums, so an empty spec says the same
    const rangeSpec: AttributeSpec = { type: 'string' };
    for (const child of childElements(element)) {
      if (child.name === 'address') {
        if (child.attributes.length > 0) ctx.fail(child.attributes[0]!, `The '${child.attributes[0]!.name}' attribute is not declared.`);
        const value = ctx.text(child);
        if (!value.isConstant) {
          dynamic.push(value);
          continue;
        }
        const ip = normalizeAddress(value.constant!) ?? ctx.fail(child, `'${value.constant!.trim()}' is not a valid IP address.`);
        fixed.addAddress(ip.address, ip.family);
      } else if (child.name === 'address-range') {
        for (const attr of child.attributes) {
          if (attr.name !== 'from' && attr.name !== 'to') ctx.fail(attr, `The '${attr.name}' attribute is not declared.`);
        }
        for (const bound of ['from', 'to']) {
          if (!attribute(child, bound)) ctx.fail(child, `The required attribute '${bound}' is missing.`);
        }
        const fromText = ctx.string(child, 'from', rangeSpec)!.constant!;
        const toText = ctx.string(child, 'to', rangeSpec)!.constant!;
        const from = normalizeAddress(fromText) ?? ctx.fail(attribute(child, 'from')!, `'${fromText}' is not a valid IP address.`);
        const to = normalizeAddress(toText) ?? ctx.fail(attribute(child, 'to')!, `'${toText}' is not a valid IP address.`);
        if (from.family !== to.family) ctx.fail(child, `The range '${fromText}' to '${toText}' mixes IPv4 and IPv6 addresses.`);
        try {
          fixed.addRange(from.address, to.address, from.family);
        } catch {
          ctx.fail(child, `The range start '${fromText}' is greater than its end '${toText}'.`);
        }
      } else {
        ctx.fail(child, `The element '${child.name}' is not allowed in 'ip-filter'; expected 'address' or 'address-range'.`);
      }
    }
    if (childElements(element).length === 0) {
      ctx.fail(element, "At least one 'address' or 'address-range' element is required.");
    }

    const listed = (gw: GatewayContext, ip: { address: string; family: Family }): boolean => {
      if (fixed.check(ip.address, ip.family)) return true;
      for (const value of dynamic) {
        // No family test: like the literal list, BlockList matches an IPv4 address with its
        // IPv4-mapped IPv6 forms that unmapped leaves alone (`::ffff:a00:1` is 10.0.0.1).
        const other = normalizeAddress(value.get(gw));
        if (other && sameAddress(other, ip)) return true;
      }
      return false;
    };

    return (gw) => {
      const caller = normalizeAddress(gw.request.ipAddress);
      if (!caller) {
        throw new PolicyRuntimeError(
          'ip-filter', 'FailedToParseCallerIP', 'Failed to establish IP address for the caller. Access denied.', deniedStatus, deniedClientMessage,
        );
      }
      const inList = listed(gw, caller);
      if (action.get(gw) === 'allow' && !inList) {
        throw new PolicyRuntimeError(
          'ip-filter', 'CallerIpNotAllowed', `Caller IP address ${caller.address} is not allowed. Access denied.`, deniedStatus, deniedClientMessage,
        );
      }
      if (action.get(gw) === 'forbid' && inList) {
        throw new PolicyRuntimeError(
          'ip-filter', 'CallerIpBlocked', 'Caller IP address is blocked. Access denied.', deniedStatus, deniedClientMessage,
        );
      }
      if (gw.requestTrace) gw.traceStep('ip-filter', { message: `Caller IP address ${caller.address} is allowed.` });
    };
  },
};

/**
 * Parses an address, unwrapping IPv4-mapped IPv6 (`::ffff:10.0.0.1`, what a dual-stack socket
 * reports for IPv4 callers) so it matches IPv4 rules; undefined when not an IP address.
 */
export function normalizeAddress(text: string): { address: string; family: Family } | undefined {
  let address = text.trim();
  if (address.startsWith('[') && address.endsWith(']')) address = address.slice(1, -1);
  const zone = address.indexOf('%');
  if (zone !== -1) address = address.slice(0, zone);
  address = unmapped(address);
  const family = isIP(address);
  if (family === 4) return { address, family: 'ipv4' };
  if (family === 6) return { address, family: 'ipv6' };
  return undefined;
}

function sameAddress(a: { address: string; family: Family }, b: { address: string; family: Family }): boolean {
  const single = new BlockList();
  single.addAddress(a.address, a.family);
  return single.check(b.address, b.family);
}
