/**
 * A pass-through GraphQL API has a single endpoint and no operations of its own (Azure: its
 * policies are set at the API scope; queries come over POST with a JSON body, or over GET with
 * the `query` parameter). The router works on operations, so such an API is given the two it
 * serves, on its root: they exist only in the route table and carry no policy. An API that does
 * have stored operations keeps exactly those.
 */
import type { Api, Operation } from '../../model/resources.js';

const endpoint: readonly Operation[] = [
  { name: 'graphql-post', displayName: 'GraphQL (POST)', method: 'POST', urlTemplate: '/' },
  { name: 'graphql-get', displayName: 'GraphQL (GET)', method: 'GET', urlTemplate: '/' },
];

/** The API as the router sees it: a GraphQL API without operations answers POST and GET on its root. */
export function withGraphqlEndpoint(api: Api): Api {
  if (api.type?.toLowerCase() !== 'graphql' || api.operations.length > 0) return api;
  return { ...api, operations: endpoint.map((op) => ({ ...op })) };
}
