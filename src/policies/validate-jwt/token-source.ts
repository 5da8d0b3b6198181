/**
 * Where validate-jwt and validate-azure-ad-token read the token: the `header-name` header (a
 * `Bearer ` prefix removed), the `query-parameter-name` query parameter, or the `token-value`
 * expression; at most one of them may be given. validate-jwt requires one; validate-azure-ad-token
 * defaults to the Authorization header.
 */
import type { GatewayContext } from '../../pipeline/gateway-context.js';
import type { PolicyCompileContext } from '../../pipeline/policy-module.js';
import type { Value } from '../../pipeline/value.js';
import { attribute, type XmlElement } from '../../pipeline/xml.js';

/** The token of a request, undefined when there is none. */
export type TokenSource = (gw: GatewayContext) => string | undefined;

const sourceAttributes = ['header-name', 'query-parameter-name', 'token-value'];

/**
 * Compiles the source attributes; `defaultHeader` is used when none is given (otherwise exactly
 * one is required). `requireScheme` is validate-jwt's `require-scheme`.
 */
export function compileTokenSource(element: XmlElement, ctx: PolicyCompileContext, defaultHeader?: string, requireScheme?: Value<string>): TokenSource {
  const given = sourceAttributes.filter((n) => attribute(element, n) !== undefined);
  if (given.length > 1 || (given.length === 0 && defaultHeader === undefined)) {
    const which = defaultHeader === undefined ? 'Exactly one' : 'At most one';
    ctx.fail(element, `${which} of the 'header-name', 'query-parameter-name' or 'token-value' attributes must be specified.`);
  }
  const headerName = ctx.string(element, 'header-name');
  const queryName = ctx.string(element, 'query-parameter-name');
  const tokenValue = ctx.string(element, 'token-value');
  return (gw) => {
    if (tokenValue) return tokenValue.get(gw).trim() || undefined;
    if (queryName) return gw.request.url.queryValue(queryName.get(gw))?.trim() || undefined;
    const name = headerName ? headerName.get(gw) : defaultHeader!;
    const value = gw.request.headers.get(name)?.trim();
    if (!value) return undefined;
    const space = value.indexOf(' ');
    const scheme = space === -1 ? '' : value.slice(0, space);
    const rest = space === -1 ? value : value.slice(space + 1).trim();
    // Azure honours require-scheme on the Authorization header only; a token sent under
    // another scheme counts as no token at all.
    const required = requireScheme?.get(gw).trim();
    if (required && name.toLowerCase() === 'authorization') {
      return scheme.toLowerCase() === required.toLowerCase() && rest !== '' ? rest : undefined;
    }
    return scheme.toLowerCase() === 'bearer' ? rest || undefined : value;
  };
}
