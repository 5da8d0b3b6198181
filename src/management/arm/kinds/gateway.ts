/**
 * Self-hosted gateways (Azure's `gateways`): a named location that will run the gateway on its
 * own hosts (issue 17), with the APIs it serves (`gateways/{g}/apis`, links) and its hostname
 * configurations. Each gateway has two keys, made at create, sealed at rest, never in a GET or
 * an export; `listKeys`, `regenerateKey` and `generateToken` work as Azure's do. The name
 * `managed` is Azure's built-in gateway and cannot be used.
 */
import type { StoredEntity } from '../../../core/entity-store.js';
import { invalidField, validationError, type ArmErrorDetail } from '../arm-error.js';
import { checkField, type FieldSchema, type PropertiesSchema } from '../property-schema.js';
import type { KindContext, ResourceKind } from '../resource-kind.js';
import { generateGatewayKey, gatewayToken } from './gateway-token.js';
import { withoutSecrets } from './secret-fields.js';

const keys = ['primaryKey', 'secondaryKey'];
const location = { type: 'string', maxLength: 256 } as const;

/** GatewayContractProperties of the 2024-05-01 specification. */
export const gatewaySchema: PropertiesSchema = {
  fields: {
    locationData: {
      type: 'object',
      properties: { name: { ...location, required: true }, city: location, district: location, countryOrRegion: location },
    },
    description: { type: 'string', maxLength: 1000 },
  },
};

const keyTypeField: FieldSchema = { type: 'string', required: true, enum: ['primary', 'secondary'] };

/** Checks an action's body fields (Azure's 400 ValidationError naming each) and returns the key field it names. */
function keyFieldOf(body: Record<string, unknown> | undefined, extra: Readonly<Record<string, FieldSchema>> = {}): 'primaryKey' | 'secondaryKey' {
  const given = body ?? {};
  const problems: ArmErrorDetail[] = [];
  for (const [name, field] of Object.entries({ keyType: keyTypeField, ...extra })) {
    const value = Object.hasOwn(given, name) ? given[name] : undefined;
    if (value === undefined || value === null) problems.push({ code: 'ValidationError', target: name, message: `'${name}' is required.` });
    else checkField(value, field, name, problems);
  }
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
    for (const field of keys) body[field] = existing?.body[field] ?? ctx.sealer.seal(generateGatewayKey());
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
      const field = keyFieldOf(body);
      await ctx.tx.put({ kind: entity.kind, id: entity.id, parent: entity.parent, body: { ...entity.body, [field]: ctx.sealer.seal(generateGatewayKey()) } }, { ifMatch: entity.etag });
      return { status: 204 };
    },
    async generateToken(entity, ctx, body) {
      const field = keyFieldOf(body, { expiry: { type: 'string', required: true } });
      const expiry = new Date(String(body!.expiry));
      if (Number.isNaN(expiry.getTime())) throw invalidField('expiry', `'${String(body!.expiry)}' is not a valid date.`);
      return { status: 200, body: { value: gatewayToken(name(entity), openKey(entity, ctx, field), expiry) } };
    },
  },
};
