/**
 * Reads `apis/<api>/specification.graphql` from an APIOps folder: the schema a GraphQL API is
 * stored with (`apis/<api>/schemas/graphql`, as the APIOps publisher PUTs it). A document that
 * does not parse (or build) is refused naming the file, line and column.
 */
import { join } from 'node:path';
import { ConfigFolderError } from '../apiops/config-folder-error.js';
import type { FolderContext } from '../apiops/folder-context.js';
import { readText } from '../apiops/folder-files.js';
import { describeGraphqlProblem, graphqlSchemaId, graphqlSchemaProblem, graphqlSchemaProperties, graphqlSpecificationFile } from './graphql-schema.js';

/** The schema to store for the API in `apiDir`, or undefined when its folder has no GraphQL specification. */
export async function readGraphqlSpecification(
  ctx: FolderContext,
  apiDir: string,
  apiFiles: readonly string[],
): Promise<{ file: string; schemaId: string; properties: Record<string, unknown> } | undefined> {
  if (!apiFiles.includes(graphqlSpecificationFile)) return undefined;
  const path = join(apiDir, graphqlSpecificationFile);
  const sdl = await readText(ctx, path);
  const problem = graphqlSchemaProblem(sdl);
  if (problem) throw new ConfigFolderError(ctx.rel(path), `is not a valid GraphQL schema: ${describeGraphqlProblem(problem)}`);
  return { file: ctx.rel(path), schemaId: graphqlSchemaId, properties: graphqlSchemaProperties(sdl) };
}
