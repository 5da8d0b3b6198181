/**
 * The specification an API was imported from, kept beside it so an export returns it (Azure's
 * `GET …/apis/{id}?export=true&format=…`, `gatehouse export`). It is stored as a hidden child
 * of the API (`apis/<api>/specifications/original`, kind `apiSpecification`): not an ARM
 * resource, deleted with the API, copied with its revisions (kinds/api-tree.ts).
 */
import type { EntityTransaction } from '../../core/entity-store.js';

/** The store kind of a kept specification. */
export const specificationKind = 'apiSpecification';

/** What kind of document a specification is. */
export type SpecificationFamily = 'openapi' | 'wsdl' | 'wadl';

/** A kept specification: its family, the file name it is exported as, and its text. */
export interface StoredSpecification {
  family: SpecificationFamily;
  /** `specification.wsdl`, `specification.wadl`, `specification.yaml` or `specification.json` (the APIOps names). */
  fileName: string;
  value: string;
}

/** The store id of an API's kept specification. */
export function specificationId(apiId: string): string {
  return `${apiId}/specifications/original`;
}

/** Keeps `spec` for the API stored at `apiId` (replacing one kept before). */
export async function keepSpecification(tx: EntityTransaction, apiId: string, spec: StoredSpecification): Promise<void> {
  const existing = await tx.get(specificationId(apiId));
  await tx.put({ kind: specificationKind, id: existing?.id ?? specificationId(apiId), parent: apiId, body: { ...spec } });
}

/** The specification kept for the API at `apiId`, if any. */
export async function keptSpecification(tx: EntityTransaction, apiId: string): Promise<StoredSpecification | undefined> {
  const entity = await tx.get(specificationId(apiId));
  return entity ? storedSpecificationOf(entity.body) : undefined;
}

/** The file names a kept specification may have, by family (a name is a path in an export: never anything else). */
const fileNames: Readonly<Record<SpecificationFamily, readonly string[]>> = {
  openapi: ['specification.yaml', 'specification.yml', 'specification.json'],
  wsdl: ['specification.wsdl'],
  wadl: ['specification.wadl'],
};

/** Reads a stored body back; undefined when it is not one this module wrote. */
export function storedSpecificationOf(body: Record<string, unknown>): StoredSpecification | undefined {
  const { family, fileName, value } = body;
  if (family !== 'openapi' && family !== 'wsdl' && family !== 'wadl') return undefined;
  if (typeof fileName !== 'string' || !fileNames[family].includes(fileName) || typeof value !== 'string') return undefined;
  return { family, fileName, value };
}
