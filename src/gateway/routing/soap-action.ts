/**
 * SOAP pass-through routing (docs/soap-apis.md): an imported SOAP operation's URL template is
 * `/?soapAction=<action>`, and a SOAP client does not put its action in the query but in the
 * `SOAPAction` header (SOAP 1.1, the value quoted) or in the `action` parameter of
 * `Content-Type: application/soap+xml` (SOAP 1.2). For an API of type `soap` the router matches
 * operations as if the request's query carried `soapAction=<that action>`; the query forwarded
 * to the backend is not changed.
 */
import type { Api } from '../../model/resources.js';
import type { RouteRequest } from './route-types.js';

const parameter = 'soapAction';

/** The query the operations of `api` are matched against. */
export function operationQuery(api: Api, request: RouteRequest): ReadonlyArray<readonly [string, string]> {
  if (api.type !== 'soap' || request.query.some(([name]) => name === parameter)) return request.query;
  const action = requestSoapAction(request);
  return action === undefined ? request.query : [...request.query, [parameter, action]];
}

/** The SOAP action a request names: `SOAPAction` (quotes removed), else the SOAP 1.2 `action` media-type parameter. */
export function requestSoapAction(request: Pick<RouteRequest, 'header'>): string | undefined {
  const header = request.header('soapaction');
  if (header !== undefined) return unquote(header.trim());
  const contentType = request.header('content-type');
  if (contentType === undefined) return undefined;
  const [type, ...params] = splitParameters(contentType);
  if (type?.trim().toLowerCase() !== 'application/soap+xml') return undefined;
  for (const p of params) {
    const eq = p.indexOf('=');
    if (eq !== -1 && p.slice(0, eq).trim().toLowerCase() === 'action') return unquote(p.slice(eq + 1).trim());
  }
  return undefined;
}

function unquote(value: string): string {
  return value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1).replace(/\\(.)/g, '$1') : value;
}

/** Splits a media type at `;` outside quoted strings (an action URI may hold a `;`). */
function splitParameters(value: string): string[] {
  const out: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (quoted && c === '\\' && i + 1 < value.length) {
      current += c + value[++i];
      continue;
    }
    if (c === '"') quoted = !quoted;
    if (c === ';' && !quoted) {
      out.push(current);
      current = '';
    } else current += c;
  }
  out.push(current);
  return out;
}
