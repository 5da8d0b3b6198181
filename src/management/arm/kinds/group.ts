/**
 * Groups (reference §5.1): custom groups plus the built-in `administrators`, `developers` and
 * `guests`, which exist from the start and can't be changed or deleted.
 */
import { groupSchema } from '../resource-schemas.js';
import type { ResourceKind } from '../resource-kind.js';

/** The built-in groups every service has. */
export const builtInGroups: ReadonlyArray<{ name: string; body: Record<string, unknown> }> = [
  {
    name: 'administrators',
    body: { displayName: 'Administrators', description: 'Administrators is a built-in group. Its membership is managed by the system.', builtIn: true, type: 'system' },
  },
  {
    name: 'developers',
    body: { displayName: 'Developers', description: 'Developers is a built-in group. Its membership is managed by the system. Signed-in users fall into this group.', builtIn: true, type: 'system' },
  },
  {
    name: 'guests',
    body: { displayName: 'Guests', description: 'Guests is a built-in group. Its membership is managed by the system. Unauthenticated users visiting the developer portal fall into this group.', builtIn: true, type: 'system' },
  },
];

export const groupKind: ResourceKind = {
  kind: 'group',
  armType: 'Microsoft.ApiManagement/service/groups',
  label: 'Group',
  schema: groupSchema,
  namePattern: /^[^*#&+:<>?\/]{1,256}$/,
  readOnlyEntity: (entity) => (entity.body.builtIn === true ? "Built-in groups can't be changed or deleted." : undefined),
  async prepare({ properties }) {
    const body: Record<string, unknown> = { ...properties };
    body.type = properties.type ?? 'custom';
    if (body.type === 'system') body.type = 'custom';
    body.builtIn = false;
    return body;
  },
  async beforeDelete(entity, ctx) {
    const name = entity.id.slice(entity.id.lastIndexOf('/') + 1).toLowerCase();
    for (const link of (await ctx.tx.list({ kind: 'productGroup' })).items) {
      if (link.id.slice(link.id.lastIndexOf('/') + 1).toLowerCase() === name) await ctx.tx.delete(link.id);
    }
  },
};
