/**
 * `rate-limit`: limits the call rate of a subscription in a sliding window, with optional
 * independent limits per API and per operation (reference §3 Throttling, §1.4, §1.5).
 * Also home of what the rate-limit family shares with rate-limit-by-key: the reporting
 * attributes (Retry-After, remaining/total calls headers and variables), the 429 failure and
 * the `<api>`/`<operation>` child limits that quota reuses.
 */
import type { Scope } from '../pipeline/gateway-context.js';
import { PolicyRuntimeError, type GatewayContext } from '../pipeline/gateway-context.js';
import type { AttributeSpec, PolicyCompileContext, PolicyModule } from '../pipeline/policy-module.js';
import { childElements, type XmlElement } from '../pipeline/xml.js';
import { apiBaseName } from '../model/resources.js';

/** The attributes every rate-limit policy has for telling the caller about its limit. */
export const rateLimitReportingAttributes: Readonly<Record<string, AttributeSpec>> = {
  'retry-after-header-name': { type: 'string', default: 'Retry-After' },
  'retry-after-variable-name': { type: 'string' },
  'remaining-calls-header-name': { type: 'string' },
  'remaining-calls-variable-name': { type: 'string' },
  'total-calls-header-name': { type: 'string' },
};

/** Where a rate-limit policy reports its state (all optional but the Retry-After header). */
export interface RateLimitReporting {
  retryAfterHeaderName: string;
  retryAfterVariableName?: string;
  remainingCallsHeaderName?: string;
  remainingCallsVariableName?: string;
  totalCallsHeaderName?: string;
}

/** What one execution reports; deferred counting updates it before the response is sent. */
export interface CallsReport {
  remaining: number;
  total: number;
}

const headerToken = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const variableName = /^[^\s]+$/;

/**
 * Reads an attribute that names a response header or a context variable (the reporting
 * attributes of the throttling policies), refusing a value that is not a valid name.
 */
export function readReportingName(element: XmlElement, ctx: PolicyCompileContext, name: string, kind: 'header' | 'variable'): string | undefined {
  const value = ctx.string(element, name)?.constant;
  if (value === undefined) return undefined;
  const [pattern, what] = kind === 'header' ? [headerToken, 'header name'] : [variableName, 'variable name'];
  if (!pattern.test(value)) ctx.fail(attributeAt(element, name), `The value '${value}' of attribute '${name}' is not a valid ${what}.`);
  return value;
}

/** Reads and checks the reporting attributes of a rate-limit element. */
export function readRateLimitReporting(element: XmlElement, ctx: PolicyCompileContext): RateLimitReporting {
  const read = (name: string, kind: 'header' | 'variable'): string | undefined => readReportingName(element, ctx, name, kind);
  const reporting: RateLimitReporting = { retryAfterHeaderName: read('retry-after-header-name', 'header') ?? 'Retry-After' };
  const retryVar = read('retry-after-variable-name', 'variable');
  const remainingHeader = read('remaining-calls-header-name', 'header');
  const remainingVar = read('remaining-calls-variable-name', 'variable');
  const totalHeader = read('total-calls-header-name', 'header');
  if (retryVar !== undefined) reporting.retryAfterVariableName = retryVar;
  if (remainingHeader !== undefined) reporting.remainingCallsHeaderName = remainingHeader;
  if (remainingVar !== undefined) reporting.remainingCallsVariableName = remainingVar;
  if (totalHeader !== undefined) reporting.totalCallsHeaderName = totalHeader;
  return reporting;
}

/**
 * Records the calls left: the variable now, the headers on the final response (a hook, so they
 * survive on-error and outbound replacing the response). Returns the report to update later.
 */
export function reportCalls(gw: GatewayContext, reporting: RateLimitReporting, remaining: number, total: number): CallsReport {
  const report: CallsReport = { remaining, total };
  if (reporting.remainingCallsVariableName) gw.variables.set(reporting.remainingCallsVariableName, remaining);
  const remainingHeader = reporting.remainingCallsHeaderName;
  const totalHeader = reporting.totalCallsHeaderName;
  if (remainingHeader || totalHeader) {
    gw.beforeRespond.push((g) => {
      if (remainingHeader) g.response.headers.set(remainingHeader, String(report.remaining));
      if (totalHeader) g.response.headers.set(totalHeader, String(report.total));
    });
  }
  return report;
}

/** Whole seconds to wait, never 0 (a caller told to wait 0 seconds would retry at once). */
export function retryAfterSeconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}

/** The 429 failure of reference §1.5, after recording the retry interval and 0 calls left. */
export function rateLimitExceeded(
  gw: GatewayContext,
  source: string,
  reporting: RateLimitReporting,
  retryAfterMs: number,
  total: number,
): PolicyRuntimeError {
  const seconds = retryAfterSeconds(retryAfterMs);
  if (reporting.retryAfterVariableName) gw.variables.set(reporting.retryAfterVariableName, seconds);
  reportCalls(gw, reporting, 0, total);
  if (gw.requestTrace) gw.traceStep(source, { message: 'Rate limit was exceeded.', remainingCalls: 0, totalCalls: total, retryAfterSeconds: seconds });
  return new PolicyRuntimeError(
    source,
    'RateLimitExceeded',
    'Rate limit is exceeded',
    429,
    `Rate limit is exceeded. Try again in ${seconds} seconds.`,
    { [reporting.retryAfterHeaderName]: String(seconds) },
  );
}

/** An `<api>` child limit with its `<operation>` children (limits of type T). */
export interface ApiLimit<T> {
  name?: string;
  id?: string;
  /** Where the element is, to tell counters of different children apart. */
  position: string;
  limits: T;
  operations: Array<{ name?: string; id?: string; position: string; limits: T }>;
}

/** A limit that applies to this request, with a label naming its level for counter keys. */
export interface ApplicableLimit<T> {
  level: string;
  limits: T;
}

const targetAttributes: Readonly<Record<string, AttributeSpec>> = {
  name: { type: 'string' },
  id: { type: 'string' },
};

/**
 * Reads `<api name|id …><operation name|id …/></api>` children. `limitAttributes` is the schema
 * of the limit attributes; `readLimits` turns one element's attributes into limits.
 */
export function readApiLimits<T>(
  element: XmlElement,
  ctx: PolicyCompileContext,
  limitAttributes: Readonly<Record<string, AttributeSpec>>,
  readLimits: (child: XmlElement) => T,
): Array<ApiLimit<T>> {
  const schema = { ...targetAttributes, ...limitAttributes };
  const target = (child: XmlElement): { name?: string; id?: string; position: string } => {
    checkChild(child, ctx, schema);
    const name = ctx.string(child, 'name', schema.name)?.constant;
    const id = ctx.string(child, 'id', schema.id)?.constant;
    if (name === undefined && id === undefined) ctx.fail(child, `The '${child.name}' element needs a 'name' or an 'id' attribute.`);
    const out: { name?: string; id?: string; position: string } = { position: `${child.line}:${child.column}` };
    if (name !== undefined) out.name = name;
    if (id !== undefined) out.id = id;
    return out;
  };
  const apis: Array<ApiLimit<T>> = [];
  for (const child of childElements(element)) {
    if (child.name !== 'api') ctx.fail(child, `The element '${child.name}' is not allowed in '${element.name}'; expected 'api'.`);
    const api: ApiLimit<T> = { ...target(child), limits: readLimits(child), operations: [] };
    for (const opElement of childElements(child)) {
      if (opElement.name !== 'operation') ctx.fail(opElement, `The element '${opElement.name}' is not allowed in 'api'; expected 'operation'.`);
      const op = { ...target(opElement), limits: readLimits(opElement) };
      if (childElements(opElement).length > 0) ctx.fail(childElements(opElement)[0]!, `The 'operation' element takes no child elements.`);
      api.operations.push(op);
    }
    apis.push(api);
  }
  return apis;
}

/** The child limits that match the request's API and operation (`id` wins over `name`). */
export function matchingApiLimits<T>(apis: ReadonlyArray<ApiLimit<T>>, gw: GatewayContext): Array<ApplicableLimit<T>> {
  const out: Array<ApplicableLimit<T>> = [];
  const apiId = apiBaseName(gw.api.name);
  for (const api of apis) {
    if (!matches(api, apiId, gw.api.displayName)) continue;
    out.push({ level: `api@${api.position}`, limits: api.limits });
    for (const op of api.operations) {
      if (matches(op, gw.operation.name, gw.operation.displayName)) out.push({ level: `operation@${op.position}`, limits: op.limits });
    }
  }
  return out;
}

/** Resource names are case-insensitive in Azure, so both identifiers compare that way. */
function matches(target: { name?: string; id?: string }, id: string, displayName: string): boolean {
  if (target.id !== undefined) return target.id.toLowerCase() === id.toLowerCase();
  return target.name !== undefined && target.name.toLowerCase() === displayName.toLowerCase();
}

/** Rejects undeclared attributes, missing required ones and stray text on a child element. */
function checkChild(child: XmlElement, ctx: PolicyCompileContext, schema: Readonly<Record<string, AttributeSpec>>): void {
  for (const attr of child.attributes) {
    if (attr.name.startsWith('xmlns')) continue;
    if (!(attr.name in schema)) ctx.fail(attr, `The '${attr.name}' attribute is not declared on '${child.name}'.`);
  }
  for (const [name, spec] of Object.entries(schema)) {
    if (spec.required && !child.attributes.some((a) => a.name === name)) {
      ctx.fail(child, `The required attribute '${name}' is missing on '${child.name}'.`);
    }
  }
  for (const node of child.children) {
    if (node.kind === 'text' && node.text.trim() !== '') ctx.fail(child, `Unexpected text content in '${child.name}'.`);
  }
}

/** The attribute to point a compile error at (or the element when the attribute is absent). */
export function attributeAt(element: XmlElement, name: string): XmlElement | XmlElement['attributes'][number] {
  return element.attributes.find((a) => a.name === name) ?? element;
}

/**
 * Identifies a policy definition at run time: the scope's owner (which product, API or
 * operation the document belongs to) and the element's place in it. Two documents at the same
 * scope level (two APIs) thus never share counters.
 */
export function definitionKey(scope: Scope, element: XmlElement, gw: GatewayContext): string {
  let owner: string;
  switch (scope) {
    case 'global':
      owner = 'global';
      break;
    case 'product':
      owner = `product:${gw.product?.name ?? ''}`;
      break;
    case 'api':
      owner = `api:${gw.api.name}`;
      break;
    case 'operation':
      owner = `operation:${gw.api.name}/${gw.operation.name}`;
      break;
  }
  return `${owner}@${element.line}:${element.column}`;
}

interface RateLimits {
  calls: number;
  renewalSeconds: number;
}

const limitAttributes: Readonly<Record<string, AttributeSpec>> = {
  calls: { type: 'integer', required: true, min: 0 },
  'renewal-period': { type: 'integer', required: true, min: 1, max: 300 },
};

/** Child limits may leave out the renewal period; they then share the policy's. */
const childLimitAttributes: Readonly<Record<string, AttributeSpec>> = {
  calls: limitAttributes.calls!,
  'renewal-period': { type: 'integer', min: 1, max: 300 },
};

export const rateLimit: PolicyModule = {
  name: 'rate-limit',
  sections: ['inbound'],
  scopes: ['product', 'api', 'operation'],
  oncePerSection: true,
  attributes: { ...limitAttributes, ...rateLimitReportingAttributes },
  compile(element, ctx) {
    const top: RateLimits = {
      calls: ctx.integer(element, 'calls')!.constant!,
      renewalSeconds: ctx.integer(element, 'renewal-period')!.constant!,
    };
    const reporting = readRateLimitReporting(element, ctx);
    const apis = readApiLimits(element, ctx, childLimitAttributes, (child) => ({
      calls: ctx.integer(child, 'calls', childLimitAttributes.calls)!.constant!,
      renewalSeconds: ctx.integer(child, 'renewal-period', childLimitAttributes['renewal-period'])?.constant ?? top.renewalSeconds,
    }));
    const scope = ctx.scope;
    return async (gw) => {
      // Reference §1.4: rate-limit applies only to calls made with a subscription.
      const subscription = gw.subscription;
      if (!subscription) return;
      const base = `rate-limit|${definitionKey(scope, element, gw)}|${subscription.name}`;
      const limits = [{ level: 'all', limits: top }, ...matchingApiLimits(apis, gw)].map((l) => ({
        key: `${base}|${l.level}`,
        calls: l.limits.calls,
        windowMs: l.limits.renewalSeconds * 1000,
      }));
      const counters = gw.services.counters;
      const now = gw.services.clock.now();
      // With several limits, look before counting so a refused call is counted nowhere.
      if (limits.length > 1) {
        const peeks = await Promise.all(limits.map((l) => counters.peekRateLimit(l.key, l.calls, l.windowMs, now)));
        const refused = peeks.findIndex((p) => !p.allowed);
        if (refused !== -1) {
          const wait = Math.max(...peeks.filter((p) => !p.allowed).map((p) => p.retryAfterMs));
          throw rateLimitExceeded(gw, 'rate-limit', reporting, wait, limits[refused]!.calls);
        }
      }
      let tightest = { remaining: Infinity, total: top.calls };
      for (const limit of limits) {
        const result = await counters.rateLimit(limit.key, limit.calls, limit.windowMs, 1, now);
        if (!result.allowed) throw rateLimitExceeded(gw, 'rate-limit', reporting, result.retryAfterMs, limit.calls);
        if (result.remaining <= tightest.remaining) tightest = { remaining: result.remaining, total: limit.calls };
      }
      reportCalls(gw, reporting, tightest.remaining, tightest.total);
      if (gw.requestTrace) gw.traceStep('rate-limit', { message: 'Rate limit was not exceeded.', remainingCalls: tightest.remaining, totalCalls: tightest.total });
    };
  },
};
