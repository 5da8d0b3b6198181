/**
 * Named values (reference §4.3): plain or secret. A secret value is sealed before it is stored,
 * never returned by GET, and read with POST `listValue`. Display names are unique. A change or
 * deletion that leaves a policy referencing a missing value is refused.
 */
import { ArmError, invalidField } from '../arm-error.js';
import { policyRecheckHooks } from './policy-dependency.js';
import { namedValueSchema } from '../resource-schemas.js';
import type { ResourceKind } from '../resource-kind.js';

export const namedValueKind: ResourceKind = {
  kind: 'namedValue',
  armType: 'Microsoft.ApiManagement/service/namedValues',
  label: 'NamedValue',
  schema: namedValueSchema,
  namePattern: /^[^*#&+:<>?\/]{1,256}$/,
  longRunning: true,
  async prepare({ ctx, id, properties, given, existing }) {
    if (properties.keyVault !== undefined) {
      throw new ArmError(400, 'NotSupported', 'Key vault named values are not supported by Gatehouse.');
    }
    const displayName = String(properties.displayName);
    for (const other of (await ctx.tx.list({ kind: 'namedValue' })).items) {
      if (other.id.toLowerCase() === id.toLowerCase()) continue;
      if (String(other.body.displayName ?? '').toLowerCase() === displayName.toLowerCase()) {
        throw new ArmError(409, 'IdentifierAlreadyInUse', `Named value with display name '${displayName}' already exists.`);
      }
    }
    const secret = properties.secret === true;
    const wasSecret = existing?.body.secret === true;
    let value: string;
    if (typeof given.value === 'string') value = given.value;
    else if (existing && typeof existing.body.value === 'string') {
      value = wasSecret ? ctx.sealer.open(existing.body.value) : existing.body.value;
    } else throw invalidField('value', "'value' is required.");
    return {
      displayName,
      value: secret ? ctx.sealer.seal(value) : value,
      secret,
      tags: properties.tags ?? [],
    };
  },
  async present(entity) {
    const body = { ...entity.body };
    if (body.secret === true) delete body.value;
    return body;
  },
  ...policyRecheckHooks('The named value is referenced by a policy.'),
  actions: {
    async listValue(entity, ctx) {
      const raw = String(entity.body.value ?? '');
      return { status: 200, body: { value: entity.body.secret === true ? ctx.sealer.open(raw) : raw } };
    },
  },
};
