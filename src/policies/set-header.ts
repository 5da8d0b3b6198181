/**
 * `set-header`: sets, appends, keeps or deletes a header of the backend-bound request (inbound,
 * backend) or of the response to the caller (outbound, on-error). Reference §3
 * "Transformation / routing" and §1.7 (headers that cannot be changed).
 */
import type { GatewayContext } from '../pipeline/gateway-context.js';
import type { HeaderMap } from '../pipeline/header-map.js';
import type { PolicyCompileContext, PolicyModule, PolicyStep } from '../pipeline/policy-module.js';
import type { Value } from '../pipeline/value.js';
import { attribute, childElements, type XmlElement } from '../pipeline/xml.js';

export const existsActions = ['override', 'skip', 'append', 'delete'] as const;
export type ExistsAction = (typeof existsActions)[number];

/** Which message a header change applies to. */
export type HeaderSide = 'request' | 'response';

// Azure silently refuses to change these framing headers (reference §1.7): the gateway owns them.
const frozenHeaders: ReadonlySet<string> = new Set(['connection', 'content-length', 'keep-alive', 'transfer-encoding']);

const tokenPattern = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** Why a header name is unusable, or undefined when it is a valid HTTP token. */
export function headerNameProblem(name: string): string | undefined {
  if (name === '') return 'The header name must not be empty.';
  if (!tokenPattern.test(name)) return `'${name}' is not a valid HTTP header name.`;
  return undefined;
}

/** Why a header value is unusable (control characters that would split or end the header line). */
export function headerValueProblem(value: string): string | undefined {
  return /[\r\n\0]/.test(value) ? 'Header values must not contain CR, LF or NUL characters.' : undefined;
}

/** True when APIM ignores a change to this header (framing headers; removing `Server` from a response). */
export function isUnchangeableHeader(name: string, action: ExistsAction, side: HeaderSide): boolean {
  const lower = name.toLowerCase();
  if (frozenHeaders.has(lower)) return true;
  return side === 'response' && action === 'delete' && lower === 'server';
}

/** Applies one exists-action to a header collection (shared with return-response/send-request children). */
export function applyHeaderAction(
  headers: HeaderMap,
  name: string,
  action: ExistsAction,
  values: readonly string[],
  side: HeaderSide,
): void {
  if (isUnchangeableHeader(name, action, side)) return;
  // With no <value>, override/skip still produce the header, with an empty value.
  const given = values.length > 0 ? values : [''];
  switch (action) {
    case 'override':
      headers.set(name, given);
      return;
    case 'skip':
      if (!headers.has(name)) headers.set(name, given);
      return;
    case 'append':
      if (!headers.has(name)) headers.set(name, given);
      else for (const value of values) headers.append(name, value);
      return;
    case 'delete':
      headers.delete(name);
      return;
  }
}

/** Compiles the `<value>` children of set-header / set-query-parameter (no other children allowed). */
export function compileValueChildren(element: XmlElement, ctx: PolicyCompileContext): Array<Value<string>> {
  for (const child of element.children) {
    if (child.kind === 'text' && child.text.trim() !== '') ctx.fail(element, `Unexpected text content in '${element.name}'.`);
  }
  const out: Array<Value<string>> = [];
  for (const child of childElements(element)) {
    if (child.name !== 'value') ctx.fail(child, `The element '${child.name}' is not allowed in '${element.name}'; only 'value' is.`);
    const extra = child.attributes.find((a) => !a.name.startsWith('xmlns'));
    if (extra) ctx.fail(extra, `The '${extra.name}' attribute is not declared.`);
    if (childElements(child).length > 0) ctx.fail(child, "The 'value' element takes text only.");
    out.push(ctx.text(child));
  }
  // Exactly the right length: compiled steps keep the list for the snapshot's life.
  return out.slice();
}

/** Compiles a set-header element into a step acting on the headers `target` picks. */
export function compileSetHeaderStep(
  element: XmlElement,
  ctx: PolicyCompileContext,
  side: HeaderSide,
  target: (gw: GatewayContext) => HeaderMap,
): PolicyStep {
  const name = ctx.string(element, 'name', setHeader.attributes.name)!;
  const action = ctx.string(element, 'exists-action', setHeader.attributes['exists-action']) as Value<ExistsAction>;
  if (name.isConstant) {
    const problem = headerNameProblem(name.constant!);
    if (problem) ctx.fail(attribute(element, 'name') ?? element, problem);
  }
  const values = compileValueChildren(element, ctx);
  values.forEach((value, i) => {
    const problem = value.isConstant ? headerValueProblem(value.constant!) : undefined;
    if (problem) ctx.fail(childElements(element, 'value')[i]!, problem);
  });
  return setHeaderStep(name, action, values, side, target);
}

/** The step itself, made apart from the compile code so it holds only what it runs with (not the element or the compile context). */
function setHeaderStep(
  name: Value<string>,
  action: Value<ExistsAction>,
  values: ReadonlyArray<Value<string>>,
  side: HeaderSide,
  target: (gw: GatewayContext) => HeaderMap,
): PolicyStep {
  const allConstant = name.isConstant && values.every((v) => v.isConstant);
  return (gw) => {
    const headerName = name.get(gw);
    const list = values.map((v) => v.get(gw));
    if (!allConstant) {
      // Expression results are checked per request: a bad value must not reach the socket.
      const problem = headerNameProblem(headerName) ?? list.map(headerValueProblem).find((p) => p !== undefined);
      if (problem) throw new Error(problem);
    }
    const exists = action.get(gw);
    applyHeaderAction(target(gw), headerName, exists, list, side);
    if (gw.requestTrace) {
      const message = exists === 'delete' ? 'Specified header was removed.' : 'Specified value was assigned to the header (see below).';
      gw.traceStep('set-header', { message, header: { name: headerName, value: list.join(',') }, 'exists-action': exists });
    }
  };
}

export const setHeader: PolicyModule = {
  name: 'set-header',
  sections: ['inbound', 'backend', 'outbound', 'on-error'],
  attributes: {
    name: { type: 'string', required: true, expression: true },
    'exists-action': { type: 'enum', values: existsActions, default: 'override', expression: true },
  },
  compile(element, ctx) {
    // inbound/backend change what goes to the backend; outbound/on-error what goes to the caller.
    if (ctx.section === 'inbound' || ctx.section === 'backend') {
      return compileSetHeaderStep(element, ctx, 'request', (gw) => gw.request.headers);
    }
    return compileSetHeaderStep(element, ctx, 'response', (gw) => gw.response.headers);
  },
};
