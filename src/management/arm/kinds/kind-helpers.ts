/** Small helpers the resource kinds share: references that must exist, defaults, dates. */
import type { StoredEntity } from '../../../core/entity-store.js';
import { invalidField } from '../arm-error.js';
import { relativeReference } from '../arm-ids.js';
import type { KindContext } from '../resource-kind.js';

/**
 * Resolves a reference property (`scope`, `ownerId`, `apiVersionSetId`…) given as a full id or
 * service-relative path to a stored entity of the expected collection; 400 on `target` otherwise.
 */
export async function referencedEntity(
  ctx: KindContext,
  reference: string,
  target: string,
  collection: string,
  label: string,
): Promise<StoredEntity> {
  const path = relativeReference(reference);
  const parts = path.split('/');
  if (parts.length !== 2 || parts[0]!.toLowerCase() !== collection.toLowerCase() || parts[1] === '') {
    throw invalidField(target, `'${reference}' is not a valid ${label} identifier.`);
  }
  const entity = await ctx.tx.get(path);
  if (!entity) throw invalidField(target, `${label} '${parts[1]}' not found.`);
  return entity;
}

/** Copies `defaults` under the given values (given values win). */
export function withDefaults(values: Record<string, unknown>, defaults: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...defaults };
  for (const [k, v] of Object.entries(values)) if (v !== undefined) out[k] = v;
  return out;
}

/** ISO 8601 time of `now`, as ARM writes dates. */
export function isoNow(ctx: KindContext): string {
  return ctx.now().toISOString();
}

/** Removes keys from a copy of a record. */
export function without(record: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const out = { ...record };
  for (const k of keys) delete out[k];
  return out;
}
