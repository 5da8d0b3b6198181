/**
 * Stored entity → ARM resource body `{ id, type, name, properties }` (reference §5), as every
 * GET, PUT, PATCH and list answers it. Link kinds render the resource they point at.
 */
import type { StoredEntity } from '../../core/entity-store.js';
import { resourceId } from './arm-ids.js';
import { notFound } from './arm-error.js';
import type { KindContext, ResourceKind } from './resource-kind.js';
import { kindByStoreKind } from './kind-registry.js';

export interface ArmResource {
  id: string;
  type: string;
  name: string;
  properties: Record<string, unknown>;
}

/** The last segment of a store id (the resource name). */
export function entityName(id: string): string {
  return id.slice(id.lastIndexOf('/') + 1);
}

/** Renders one entity of a kind as its ARM body. */
export async function renderResource(entity: StoredEntity, kind: ResourceKind, ctx: KindContext): Promise<ArmResource> {
  if (kind.linkTarget) {
    const targetId = kind.linkTarget(entityName(entity.id));
    const target = await ctx.tx.get(targetId);
    if (!target) throw notFound(kind.label);
    const targetKind = kindByStoreKind(target.kind);
    const properties = targetKind?.present ? await targetKind.present(target, ctx) : { ...target.body };
    return { id: resourceId(ctx.service, target.id), type: kind.armType, name: entityName(target.id), properties };
  }
  const properties = kind.present ? await kind.present(entity, ctx) : { ...entity.body };
  return { id: resourceId(ctx.service, entity.id), type: kind.armType, name: entityName(entity.id), properties };
}
