/**
 * Resolves a specification's internal `$ref`s with @apidevtools/swagger-parser, never touching
 * the network: Azure refuses external references on import (reference: API import
 * restrictions, "$ref pointers can't reference external files"). A specification read from an
 * API folder may refer to files inside that folder; they are inlined first
 * (inline-external-refs.ts). Everywhere else an external reference is refused.
 */
import SwaggerParser from '@apidevtools/swagger-parser';
import { breakCycles } from './break-cycles.js';
import { inlineExternalRefs, type ExternalRefFolder } from './inline-external-refs.js';
import { OpenApiError } from './openapi-error.js';

/** Returns a dereferenced, cycle-free copy of the document; throws OpenApiError. */
export async function dereferenceDocument(given: Record<string, unknown>, folder?: ExternalRefFolder): Promise<Record<string, unknown>> {
  const document = folder ? await inlineExternalRefs(given, folder) : given;
  const external = findExternalRef(document, new Set());
  if (external !== undefined) throw new OpenApiError(`external $ref '${external}' is not supported; only references inside the document are`);
  let resolved: unknown;
  try {
    // swagger-parser mutates its input; give it a copy so the caller's document stays as read.
    const input = structuredClone(document) as unknown as Parameters<typeof SwaggerParser.dereference>[0];
    resolved = await SwaggerParser.dereference(input, {
      resolve: { external: false, file: false, http: false },
      dereference: { circular: true },
    });
  } catch (err) {
    throw new OpenApiError(`cannot resolve references (${err instanceof Error ? err.message : String(err)})`);
  }
  return breakCycles(resolved) as Record<string, unknown>;
}

function findExternalRef(node: unknown, seen: Set<object>): string | undefined {
  if (typeof node !== 'object' || node === null || seen.has(node)) return undefined;
  seen.add(node);
  if (!Array.isArray(node)) {
    const ref = (node as Record<string, unknown>).$ref;
    if (typeof ref === 'string' && !ref.startsWith('#')) return ref;
  }
  for (const child of Array.isArray(node) ? node : Object.values(node)) {
    const found = findExternalRef(child, seen);
    if (found !== undefined) return found;
  }
  return undefined;
}
