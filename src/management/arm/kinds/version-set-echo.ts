/**
 * An API's `apiVersionSet` object. In Azure a PUT with one creates or updates that version set;
 * Gatehouse creates version sets only through `…/apiVersionSets/{id}` and links them by
 * `apiVersionSetId`. The object is still what a GET answers, so a body read with GET and sent
 * back carries it: it is accepted when it names the set `apiVersionSetId` names, and refused
 * otherwise, never stored and ignored (issue 14 §2).
 */
import { invalidField } from '../arm-error.js';

const lastSegment = (id: string): string => id.slice(id.lastIndexOf('/') + 1).toLowerCase();

/** Throws a 400 naming `apiVersionSet` unless it is absent or the echo of `apiVersionSetId`. */
export function checkVersionSetEcho(apiVersionSet: unknown, apiVersionSetId: unknown): void {
  if (apiVersionSet === undefined || apiVersionSet === null) return;
  const id = typeof apiVersionSet === 'object' && !Array.isArray(apiVersionSet) ? (apiVersionSet as { id?: unknown }).id : undefined;
  if (typeof id === 'string' && typeof apiVersionSetId === 'string' && lastSegment(id) === lastSegment(apiVersionSetId)) return;
  throw invalidField(
    'apiVersionSet',
    "Property 'apiVersionSet' is not supported by Gatehouse: create the version set with PUT …/apiVersionSets/{versionSetId} and name it in 'apiVersionSetId'; 'apiVersionSet' is accepted only as a GET answers it.",
  );
}

/** The `apiVersionSet` a GET answers: Azure's ApiVersionSetContractDetails (no `displayName`; the set's display name is `name`). */
export function versionSetDetails(id: string, set: Record<string, unknown>): Record<string, unknown> {
  const details: Record<string, unknown> = { id, name: set.displayName };
  for (const key of ['description', 'versioningScheme', 'versionQueryName', 'versionHeaderName']) {
    if (set[key] !== undefined) details[key] = set[key];
  }
  return details;
}
