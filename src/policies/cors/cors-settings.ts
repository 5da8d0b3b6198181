/**
 * Reads a `cors` element's children into its settings (reference §3 cors; Azure's cors page):
 * `allowed-origins` (required), `allowed-methods` (absent ⇒ GET and POST), `allowed-headers`
 * and `expose-headers`. Microsoft's page calls `allowed-headers` required, but Azure's service
 * saves a cors without it, and Azure's own deployments rely on that (docs/policies/cors.md):
 * absent, no request header is allowed, so only preflights that ask for none match. Values may
 * be policy expressions; constants are checked here.
 */
import type { AttributeSpec, PolicyCompileContext } from '../../pipeline/policy-module.js';
import { computedValue, constantValue, type Value } from '../../pipeline/value.js';
import { attribute, childElements, type XmlElement } from '../../pipeline/xml.js';
import { parseOrigin, type Origin } from './origin.js';

/** One configured origin: `*`, a parsed URI, or an expression resolved per request. */
export type OriginRule = { kind: 'any' } | { kind: 'origin'; origin: Origin } | { kind: 'dynamic'; value: Value<string> };

export interface CorsSettings {
  origins: OriginRule[];
  /** Upper-cased method names; `*` allows all. */
  methods: Value<string>[];
  maxAge: Value<number>;
  /** Whether `preflight-result-max-age` was written (Access-Control-Max-Age is sent only then). */
  maxAgeGiven: boolean;
  headers: Value<string>[];
  exposeHeaders: Value<string>[];
}

const maxAgeSpec: AttributeSpec = { type: 'integer', default: 0, min: 0, expression: true };

/** Compiles the children of a cors element; fails with Azure-style compile errors. */
export function readCorsSettings(element: XmlElement, ctx: PolicyCompileContext): CorsSettings {
  const sections = new Map<string, XmlElement>();
  for (const child of childElements(element)) {
    if (!['allowed-origins', 'allowed-methods', 'allowed-headers', 'expose-headers'].includes(child.name)) {
      ctx.fail(child, `The element '${child.name}' is not allowed in 'cors'.`);
    }
    if (sections.has(child.name)) ctx.fail(child, `The element '${child.name}' may appear only once in 'cors'.`);
    sections.set(child.name, child);
  }
  const originsElement = sections.get('allowed-origins') ?? ctx.fail(element, "The 'allowed-origins' element is required.");
  const headersElement = sections.get('allowed-headers');
  const methodsElement = sections.get('allowed-methods');
  const exposeElement = sections.get('expose-headers');

  const origins = items(originsElement, 'origin', ctx).map((value, i): OriginRule => {
    if (!value.isConstant) return { kind: 'dynamic', value };
    const text = value.constant!.trim();
    if (text === '*') return { kind: 'any' };
    const origin =
      parseOrigin(text) ??
      ctx.fail(childElements(originsElement)[i]!, `The origin '${text}' is not valid: use '*' or a URI with a scheme (http or https), a host and an optional port.`);
    return { kind: 'origin', origin };
  });

  let methods: Value<string>[] = [constantValue('GET'), constantValue('POST')];
  let maxAge: Value<number> = constantValue(0);
  let maxAgeGiven = false;
  if (methodsElement) {
    for (const attr of methodsElement.attributes) {
      if (attr.name !== 'preflight-result-max-age') ctx.fail(attr, `The '${attr.name}' attribute is not declared.`);
    }
    maxAgeGiven = attribute(methodsElement, 'preflight-result-max-age') !== undefined;
    maxAge = ctx.integer(methodsElement, 'preflight-result-max-age', maxAgeSpec)!;
    methods = items(methodsElement, 'method', ctx).map((v) => upper(v));
  }
  const headers = headersElement ? items(headersElement, 'header', ctx) : [];
  const exposeHeaders = exposeElement ? items(exposeElement, 'header', ctx) : [];
  return { origins, methods, maxAge, maxAgeGiven, headers, exposeHeaders };
}

/** The `<name>` children of a list element (at least one), as text values. */
function items(list: XmlElement, name: string, ctx: PolicyCompileContext): Value<string>[] {
  if (list.name !== 'allowed-methods') {
    for (const attr of list.attributes) ctx.fail(attr, `The '${attr.name}' attribute is not declared.`);
  }
  const out: Value<string>[] = [];
  for (const child of childElements(list)) {
    if (child.name !== name) ctx.fail(child, `The element '${child.name}' is not allowed in '${list.name}'; expected '${name}'.`);
    if (child.attributes.length > 0) ctx.fail(child.attributes[0]!, `The '${child.attributes[0]!.name}' attribute is not declared.`);
    out.push(ctx.text(child));
  }
  if (out.length === 0) ctx.fail(list, `At least one '${name}' element is required in '${list.name}'.`);
  return out;
}

function upper(value: Value<string>): Value<string> {
  if (value.isConstant) return constantValue(value.constant!.trim().toUpperCase());
  return computedValue((gw) => value.get(gw).trim().toUpperCase());
}
