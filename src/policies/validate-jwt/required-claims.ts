/**
 * validate-jwt's `required-claims` (reference §3): each `claim[@name @match=all|any @separator]`
 * must be in the token; with `value` children, all (or any) of them must be among the claim's
 * values, a string claim being split by `separator` when one is given.
 */
import type { GatewayContext } from '../../pipeline/gateway-context.js';
import type { PolicyCompileContext } from '../../pipeline/policy-module.js';
import type { Value } from '../../pipeline/value.js';
import { attribute, childElements, type XmlElement } from '../../pipeline/xml.js';
import { claimValues } from './jwt-object.js';

export interface RequiredClaim {
  name: string;
  match: 'all' | 'any';
  separator: string | undefined;
  values: Value<string>[];
}

/** A failed claim check: the LastError reason and message. */
export interface ClaimFailure {
  reason: 'TokenClaimNotFound' | 'TokenClaimValueNotAllowed';
  message: string;
}

const claimAttributes = ['name', 'match', 'separator'];

/** Reads the `claim` children of `required-claims`. */
export function readRequiredClaims(list: XmlElement, ctx: PolicyCompileContext): RequiredClaim[] {
  const claims: RequiredClaim[] = [];
  for (const element of childElements(list)) {
    if (element.name !== 'claim') ctx.fail(element, `The element '${element.name}' is not allowed in 'required-claims'; expected 'claim'.`);
    for (const attr of element.attributes) {
      if (!claimAttributes.includes(attr.name)) ctx.fail(attr, `The '${attr.name}' attribute is not declared.`);
    }
    if (!attribute(element, 'name')) ctx.fail(element, "The required attribute 'name' is missing.");
    const name = ctx.string(element, 'name', { type: 'string', required: true })!.constant!;
    const match = ctx.string(element, 'match', { type: 'enum', values: ['all', 'any'], default: 'all' })!.constant as 'all' | 'any';
    const separator = ctx.string(element, 'separator', { type: 'string' })?.constant;
    const values: Value<string>[] = [];
    for (const child of childElements(element)) {
      if (child.name !== 'value') ctx.fail(child, `The element '${child.name}' is not allowed in 'claim'; expected 'value'.`);
      values.push(ctx.text(child));
    }
    claims.push({ name, match, separator: separator === '' ? undefined : separator, values });
  }
  return claims;
}

/** Checks the claims against a token's payload; undefined when they are satisfied. */
export function checkRequiredClaims(claims: readonly RequiredClaim[], payload: Record<string, unknown>, gw: GatewayContext): ClaimFailure | undefined {
  const missing = claims.filter((c) => payload[c.name] === undefined || payload[c.name] === null).map((c) => c.name);
  if (missing.length > 0) {
    return { reason: 'TokenClaimNotFound', message: `JWT token is missing the following claims: ${missing.join(', ')}. Access denied.` };
  }
  for (const claim of claims) {
    if (claim.values.length === 0) continue;
    const raw = payload[claim.name];
    let present = claimValues(raw);
    if (claim.separator !== undefined) present = present.flatMap((v) => v.split(claim.separator!)).map((v) => v.trim());
    const expected = claim.values.map((v) => v.get(gw));
    const ok = claim.match === 'all' ? expected.every((v) => present.includes(v)) : expected.some((v) => present.includes(v));
    if (!ok) {
      const shown = claimValues(raw).join(',');
      return { reason: 'TokenClaimValueNotAllowed', message: `Claim ${claim.name} value of ${shown} is not allowed. Access denied.` };
    }
  }
  return undefined;
}
