/**
 * GraphQL schemas of GraphQL APIs (Azure: an API schema with contentType
 * `application/vnd.ms-azure-apim.graphql.schema`, the SDL in `document.value`; the APIOps
 * extractor keeps it as `apis/<api>/specification.graphql` and its publisher PUTs it at
 * `apis/<api>/schemas/graphql`). A schema is parsed and built with the `graphql` library before
 * it is stored, so a document a GraphQL server would reject never is.
 */
import { buildASTSchema, GraphQLError, parse } from 'graphql';

import { graphqlSchemaContentType } from '../../model/api-type.js';

export { graphqlSchemaContentType };

/** The schema id APIOps and the Azure portal use for a GraphQL API's schema. */
export const graphqlSchemaId = 'graphql';

/** The file the APIOps extractor writes a GraphQL API's schema to. */
export const graphqlSpecificationFile = 'specification.graphql';

/** Why an SDL document is refused; line and column (1-based) when the fault has a place. */
export interface GraphqlSchemaProblem {
  message: string;
  line?: number;
  column?: number;
}

/** Null for a usable schema; otherwise the first problem, with its position. */
export function graphqlSchemaProblem(sdl: string): GraphqlSchemaProblem | null {
  try {
    // Semantic faults (an unknown type, a field defined twice) are refused like syntax ones.
    buildASTSchema(parse(sdl));
    return null;
  } catch (err) {
    const location = err instanceof GraphQLError ? err.locations?.[0] : undefined;
    const message = (err as Error).message.split('\n\n')[0]!;
    return location ? { message, line: location.line, column: location.column } : { message };
  }
}

/** The problem as one sentence: `line 3, column 5: Syntax Error: Expected Name, found ":".` */
export function describeGraphqlProblem(problem: GraphqlSchemaProblem): string {
  const at = problem.line !== undefined ? `line ${problem.line}, column ${problem.column}: ` : '';
  return `${at}${problem.message}`;
}

/** The `properties` of the API schema that stores `sdl`. */
export function graphqlSchemaProperties(sdl: string): Record<string, unknown> {
  return { contentType: graphqlSchemaContentType, document: { value: sdl } };
}
