/**
 * A GraphQL request as it arrives at a pass-through GraphQL API (docs/graphql-apis.md): a POST
 * with the JSON body `{ "query", "variables", "operationName" }`, or a GET with `query` (and
 * `variables`, `operationName`) in the query string; and the request with its query replaced,
 * once validate-graphql-request removed fields from it.
 */
import type { GatewayContext } from '../../pipeline/gateway-context.js';

export interface GraphqlRequest {
  query: string | undefined;
  operationName: string | undefined;
  /** The POST body's other members, kept when the query is written back. */
  body?: Record<string, unknown>;
}

/** Reads the query from a buffered POST body or the query string; a body that is not a JSON object gives `undefined` parts. */
export function readGraphqlRequest(gw: GatewayContext): GraphqlRequest {
  if (gw.request.method.toUpperCase() === 'GET') {
    return { query: gw.request.url.queryValue('query'), operationName: gw.request.url.queryValue('operationName') };
  }
  const text = (gw.request.body.bufferedContent ?? Buffer.alloc(0)).toString('utf8');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { query: undefined, operationName: undefined };
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { query: undefined, operationName: undefined };
  const record = body as Record<string, unknown>;
  return {
    query: typeof record.query === 'string' ? record.query : undefined,
    operationName: typeof record.operationName === 'string' ? record.operationName : undefined,
    body: record,
  };
}

/** Replaces the request's query with `query` (POST body member or GET parameter). */
export function writeGraphqlQuery(gw: GatewayContext, request: GraphqlRequest, query: string): void {
  if (request.body) {
    gw.request.body.replace(JSON.stringify({ ...request.body, query }));
    gw.request.headers.set('Content-Length', String(gw.request.body.knownLength ?? 0));
  } else {
    gw.request.url.setQuery('query', [query]);
  }
}
