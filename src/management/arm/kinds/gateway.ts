/**
 * Self-hosted gateways (Azure's `gateways`): a named location that will run the gateway on its
 * own hosts (issue 17), with the APIs it serves (`gateways/{g}/apis`, links) and its hostname
 * configurations. Each gateway has two keys, made at create, sealed at rest, never in a GET or
 * an export; `listKeys`, `regenerateKey` and `generateToken` work as Azure's do (tokens: signed-token.ts). The name
 * `managed` is Azure's built-in gateway and cannot be used.
 */
import type { StoredEntity } from '../../../core/entity-store.js';
import { invalidField, validationError } from '../arm-error.js';
import type { KindContext, ResourceKind } from '../resource-kind.js';
import { gatewayKeyRegenerationSchema, gatewaySchema, gatewayTokenRequestSchema } from '../resource-schemas.js';
import type { KindSchema } from '../spec-validator.js';
import { generateSigningKey, signToken } from '../signed-token.js';
import { withoutSecrets } from './secret-fields.js';

const keys = ['primaryKey', 'secondaryKey'];

/** Checks an action's body against its Azure definition (400 ValidationError naming each problem) and returns the key field it names. */
function keyFieldOf(body: Record<string, unknown> | undefined, schema: KindSchema): 'primaryKey' | 'secondaryKey' {
  const given = body ?? {};
  const { problems } = schema.check(given, 'PUT');
  if (problems.length > 0) throw validationError(problems);
  return String(given.keyType).toLowerCase() === 'secondary' ? 'secondaryKey' : 'primaryKey';
}

const name = (entity: StoredEntity): string => entity.id.slice(entity.id.lastIndexOf('/') + 1);
const openKey = (entity: StoredEntity, ctx: KindContext, field: string): string => ctx.sealer.open(String(entity.body[field]));

export const gatewayKind: ResourceKind = {
  kind: 'gateway',
  armType: 'Microsoft.ApiManagement/service/gateways',
  label: 'Gateway',
  schema: gatewaySchema,
  namePattern: /^[^*#&+:<>?\/]{1,80}$/,
  async prepare({ ctx, name: gatewayName, properties, existing }) {
    // Azure reserves `managed` for the service's own gateway.
    if (gatewayName.toLowerCase() === 'managed') throw invalidField('name', "'managed' is reserved for the built-in gateway.");
    const body = withoutSecrets(properties, keys);
    for (const field of keys) body[field] = existing?.body[field] ?? ctx.sealer.seal(generateSigningKey());
    return body;
  },
  async present(entity) {
    return withoutSecrets(entity.body, keys);
  },
  actions: {
    async listKeys(entity, ctx) {
      return { status: 200, body: { primary: openKey(entity, ctx, 'primaryKey'), secondary: openKey(entity, ctx, 'secondaryKey') } };
    },
    async regenerateKey(entity, ctx, body) {
      const field = keyFieldOf(body, gatewayKeyRegenerationSchema);
      await ctx.tx.put({ kind: entity.kind, id: entity.id, parent: entity.parent, body: { ...entity.body, [field]: ctx.sealer.seal(generateSigningKey()) } }, { ifMatch: entity.etag });
      return { status: 204 };
    },
    async generateToken(entity, ctx, body) {
      const field = keyFieldOf(body, gatewayTokenRequestSchema);
      const expiry = new Date(String(body!.expiry));
      if (Number.isNaN(expiry.getTime())) throw invalidField('expiry', `'${String(body!.expiry)}' is not a valid date.`);
      return { status: 200, body: { value: signToken(name(entity), openKey(entity, ctx, field), expiry) } };
    },
  },
};
