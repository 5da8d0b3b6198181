/**
 * The tenant access resource, Azure's `tenant/access` (AccessInformationContract): the two keys
 * that sign user tokens (`users/{u}/token`, user-token.ts) and the switch that lets the
 * management API accept them (`enabled`). The keys are made when the service is first served
 * (tenant-access-keys.ts), sealed at rest, never in a GET or an export, read with
 * `listSecrets`, replaced with `regeneratePrimaryKey`/`regenerateSecondaryKey`: a token signed
 * with a replaced key stops working. The only name is `access` (`gitAccess`, Azure's
 * configuration repository, is not served).
 */
import { ArmError } from '../arm-error.js';
import type { StoredEntity } from '../../../core/entity-store.js';
import type { ActionResult, KindContext, ResourceKind } from '../resource-kind.js';
import { tenantAccessSchema } from '../resource-schemas.js';
import { generateSigningKey } from '../signed-token.js';
import { freshTenantAccessBody, tenantPrincipalId } from '../tenant-access-keys.js';
import { withoutSecrets } from './secret-fields.js';

const keys = ['primaryKey', 'secondaryKey'];

export const tenantAccessKind: ResourceKind = {
  kind: 'tenantAccess',
  armType: 'Microsoft.ApiManagement/service/tenant',
  label: 'AccessInformation',
  schema: tenantAccessSchema,
  fixedName: 'access',
  async prepare({ ctx, properties, existing }) {
    const base = existing?.body ?? freshTenantAccessBody(ctx.sealer);
    return { ...base, enabled: properties.enabled ?? base.enabled };
  },
  async present(entity) {
    return { id: 'access', principalId: tenantPrincipalId, ...withoutSecrets(entity.body, keys) };
  },
  async beforeDelete() {
    throw new ArmError(405, 'MethodNotAllowed', 'The tenant access resource cannot be deleted; set enabled to false instead.');
  },
  actions: {
    async listSecrets(entity, ctx) {
      return {
        status: 200,
        body: {
          id: 'access',
          principalId: tenantPrincipalId,
          primaryKey: ctx.sealer.open(String(entity.body.primaryKey)),
          secondaryKey: ctx.sealer.open(String(entity.body.secondaryKey)),
          enabled: entity.body.enabled === true,
        },
      };
    },
    regeneratePrimaryKey: (entity, ctx) => regenerate(entity, ctx, 'primaryKey'),
    regenerateSecondaryKey: (entity, ctx) => regenerate(entity, ctx, 'secondaryKey'),
  },
};

/** Replaces one key: every token it signed stops working. */
async function regenerate(entity: StoredEntity, ctx: KindContext, field: 'primaryKey' | 'secondaryKey'): Promise<ActionResult> {
  await ctx.tx.put({ kind: entity.kind, id: entity.id, parent: entity.parent, body: { ...entity.body, [field]: ctx.sealer.seal(generateSigningKey()) } }, { ifMatch: entity.etag });
  return { status: 204 };
}
