/**
 * API releases (reference §5.2 "Release"): `PUT /apis/{id}/releases/{rid}` with the id of a
 * revision makes that revision current. The previous current revision moves to
 * `apis/{id};rev=M` and the released one to `apis/{id}`, operations and policies with them.
 */
import type { EntityTransaction, StoredEntity } from '../../../core/entity-store.js';
import { invalidField } from '../arm-error.js';
import { relativeReference, resourceId } from '../arm-ids.js';
import { releaseSchema } from '../resource-schemas.js';
import type { ResourceKind } from '../resource-kind.js';
import { splitRevision } from './api.js';
import { copyChildren, revisionChildren } from './api-tree.js';
import { isoNow } from './kind-helpers.js';

/** Swaps the current revision at `apis/{base}` with the stored revision `target`. */
async function makeCurrent(tx: EntityTransaction, current: StoredEntity, target: StoredEntity): Promise<void> {
  const oldId = `${current.id};rev=${String(current.body.apiRevision)}`;
  const currentChildren = await revisionChildren(tx, current.id);
  const targetChildren = await revisionChildren(tx, target.id);
  await tx.put({ kind: 'api', id: oldId, parent: '', body: { ...current.body, isCurrent: false } });
  await copyChildren(tx, currentChildren, current.id, oldId);
  for (const child of currentChildren) await tx.delete(child.id);
  await tx.put({ kind: 'api', id: current.id, parent: '', body: { ...target.body, isCurrent: true } }, { ifMatch: current.etag });
  await copyChildren(tx, targetChildren, target.id, current.id);
  await tx.delete(target.id);
}

export const apiReleaseKind: ResourceKind = {
  kind: 'apiRelease',
  armType: 'Microsoft.ApiManagement/service/apis/releases',
  label: 'ApiRelease',
  schema: releaseSchema,
  namePattern: /^[^*#&+:<>?\/]{1,80}$/,
  async prepare({ ctx, parent, properties, existing }) {
    const apiPath = relativeReference(String(properties.apiId));
    const { base, revision } = splitRevision(apiPath.slice(apiPath.indexOf('/') + 1));
    if (!apiPath.toLowerCase().startsWith('apis/') || `apis/${base}`.toLowerCase() !== parent.toLowerCase()) {
      throw invalidField('apiId', `'${String(properties.apiId)}' is not a revision of API '${parent.slice(5)}'.`);
    }
    const current = (await ctx.tx.get(parent))!;
    if (revision !== undefined && revision !== String(current.body.apiRevision)) {
      const target = await ctx.tx.get(`${current.id};rev=${revision}`);
      if (!target) throw invalidField('apiId', `Revision ${revision} of API '${base}' not found.`);
      await makeCurrent(ctx.tx, current, target);
    }
    const at = isoNow(ctx);
    const body: Record<string, unknown> = {
      apiId: resourceId(ctx.service, `${current.id};rev=${revision ?? String(current.body.apiRevision)}`),
      createdDateTime: existing?.body.createdDateTime ?? at,
      updatedDateTime: at,
    };
    if (properties.notes !== undefined) body.notes = properties.notes;
    return body;
  },
};
