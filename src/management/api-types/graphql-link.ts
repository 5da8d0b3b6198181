/**
 * `format: graphql-link` (Azure: "the GraphQL API endpoint hosted on a publicly accessible
 * internet address"): the API is a pass-through GraphQL API whose backend is that endpoint, and
 * its schema is read from it. Azure introspects the endpoint; Gatehouse sends the standard
 * introspection query (POST, JSON) and prints the answer as SDL. A link to a schema file rather
 * than an endpoint works too: when the endpoint does not answer the introspection query, a GET
 * of the link that returns SDL is taken. Either way the schema is built with the `graphql`
 * library before anything is stored, and the download is bounded (fetch-linked-document.ts).
 */
import { buildClientSchema, getIntrospectionQuery, printSchema, type IntrospectionQuery } from 'graphql';
import { fetchLinkedDocument } from '../api-specification/fetch-linked-document.js';
import { invalidField } from '../arm/arm-error.js';
import type { ImportedApi } from '../arm/kinds/api-import.js';
import { describeGraphqlProblem, graphqlSchemaProblem } from './graphql-schema.js';

/** Reads the schema of the GraphQL endpoint at `link`; throws ArmError 400 on `value`. */
export async function importGraphqlLink(link: string): Promise<ImportedApi> {
  const introspected = await fetchLinkedDocument(link, 'GraphQL endpoint', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ query: getIntrospectionQuery() }),
  });
  const fromIntrospection = introspected.ok ? schemaFromIntrospection(introspected.text) : undefined;
  if (fromIntrospection && 'problem' in fromIntrospection) throw invalidField('value', `The GraphQL endpoint at '${link}' answered an unusable introspection result: ${fromIntrospection.problem}`);
  const sdl = fromIntrospection?.sdl ?? (await sdlByGet(link, introspected.ok ? 'answered no introspection result' : `answered HTTP ${introspected.status} to the introspection query`));
  return { type: 'graphql', serviceUrl: link, operations: [], graphqlSchema: sdl };
}

/** The SDL of an introspection answer; undefined when the text is not one; a problem when it is one that does not build. */
function schemaFromIntrospection(text: string): { sdl: string } | { problem: string } | undefined {
  let answer: unknown;
  try {
    answer = JSON.parse(text);
  } catch {
    return undefined;
  }
  const data = (answer as { data?: { __schema?: unknown } } | null)?.data;
  if (!data || typeof data !== 'object' || typeof data.__schema !== 'object' || data.__schema === null) return undefined;
  try {
    return { sdl: printSchema(buildClientSchema(data as IntrospectionQuery)) };
  } catch (err) {
    return { problem: (err as Error).message.split('\n')[0]! };
  }
}

/** The SDL a GET of `link` returns, refused with the reason when it is not a schema. */
async function sdlByGet(link: string, introspectionOutcome: string): Promise<string> {
  const document = await fetchLinkedDocument(link, 'GraphQL schema');
  if (!document.ok) throw invalidField('value', `The GraphQL endpoint at '${link}' ${introspectionOutcome}, and a GET answered HTTP ${document.status}.`);
  const problem = graphqlSchemaProblem(document.text);
  if (problem) throw invalidField('value', `The GraphQL endpoint at '${link}' ${introspectionOutcome}, and what a GET answered is not a GraphQL schema: ${describeGraphqlProblem(problem)}`);
  return document.text;
}
