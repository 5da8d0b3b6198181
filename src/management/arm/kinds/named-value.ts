/**
 * Named values (reference §4.3): plain, secret or Key Vault. A secret value is sealed before it
 * is stored, never returned by GET, and read with POST `listValue`. A Key Vault named value
 * (`keyVault.secretIdentifier`, optional `identityClientId`) is read through the secret
 * provider when it is written, as Azure does: a secret that cannot be read refuses the write
 * with 400 ValidationError. Its last good value is stored sealed and `keyVault.lastStatus`
 * says how the last read went; `refreshSecret` reads it again now (key-vault-reference.ts).
 * Display names are unique. A change or deletion that leaves a policy or a logger's credentials
 * referencing a missing value is refused.
 */
import { ArmError, invalidField } from '../arm-error.js';
import { renderResource } from '../render-resource.js';
import { policyRecheckHooks } from './policy-dependency.js';
import { namedValueSchema } from '../resource-schemas.js';
import type { ResourceKind } from '../resource-kind.js';
import type { SecretReference } from '../../../core/secret-provider.js';
import { keyVaultFields, notRead, readKeyVaultInput, resolveSecret, storedReference, unreadableSecretError, type SecretResolution } from './key-vault-reference.js';
import { storeSecretRead } from './store-secret-read.js';
import { refuseMissingLoggerCredentials } from './logger-credential-references.js';

const policyHooks = policyRecheckHooks('The named value is referenced by a policy.');
const loggerReason = "The named value is referenced by a logger's credentials.";

/** What `beforeTransaction` or the folder import read for a write that names a `keyVault`. */
export interface PreparedSecret {
  resolution: SecretResolution;
  /** The reference read, when it was read from the stored entity (`refreshSecret`). */
  reference?: SecretReference;
}

export const namedValueKind: ResourceKind = {
  kind: 'namedValue',
  armType: 'Microsoft.ApiManagement/service/namedValues',
  label: 'NamedValue',
  schema: namedValueSchema,
  namePattern: /^[^*#&+:<>?\/]{1,256}$/,
  longRunning: true,
  async beforeTransaction(given, services): Promise<PreparedSecret | undefined> {
    if (given.keyVault === undefined || given.keyVault === null) return undefined;
    const reference = readKeyVaultInput(given.keyVault);
    const resolution = await resolveSecret(services.secrets, reference, services.now);
    // Azure refuses a Key Vault named value it cannot read, so nothing is stored without a value.
    if (!resolution.ok) throw unreadableSecretError(reference, resolution);
    return { resolution };
  },
  async prepare({ ctx, id, properties, given, existing, prepared }) {
    const displayName = String(properties.displayName);
    for (const other of (await ctx.tx.list({ kind: 'namedValue' })).items) {
      if (other.id.toLowerCase() === id.toLowerCase()) continue;
      if (String(other.body.displayName ?? '').toLowerCase() === displayName.toLowerCase()) {
        throw new ArmError(409, 'IdentifierAlreadyInUse', `Named value with display name '${displayName}' already exists.`);
      }
    }
    const tags = properties.tags ?? [];
    if (properties.keyVault !== undefined && properties.keyVault !== null) {
      if (given.value !== undefined) throw invalidField('value', "'value' cannot be given with 'keyVault': the value is read from the secret.");
      const reference = readKeyVaultInput(properties.keyVault);
      // A PATCH that leaves `keyVault` out keeps the stored value; a write naming it brings its read.
      const resolution = given.keyVault !== undefined ? ((prepared as PreparedSecret | undefined)?.resolution ?? notRead(ctx.now())) : undefined;
      const fields = keyVaultFields(reference, resolution, existing?.body, ctx.sealer);
      // Azure stores Key Vault named values as secrets.
      return { displayName, ...(fields.value !== undefined ? { value: fields.value } : {}), secret: true, keyVault: fields.keyVault, tags };
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
      tags,
    };
  },
  async present(entity) {
    const body = { ...entity.body };
    if (body.secret === true) delete body.value;
    return body;
  },
  async afterWrite(entity, input) {
    await policyHooks.afterWrite!(entity, input);
    await refuseMissingLoggerCredentials(input.ctx.tx, loggerReason);
  },
  async afterDelete(entity, ctx) {
    await policyHooks.afterDelete!(entity, ctx);
    await refuseMissingLoggerCredentials(ctx.tx, loggerReason);
  },
  async prepareAction(action, entity, services): Promise<PreparedSecret | undefined> {
    const reference = storedReference(entity.body);
    if (action.toLowerCase() !== 'refreshsecret' || !reference) return undefined;
    return { resolution: await resolveSecret(services.secrets, reference, services.now), reference };
  },
  actions: {
    async listValue(entity, ctx) {
      const raw = String(entity.body.value ?? '');
      return { status: 200, body: { value: entity.body.secret === true && raw !== '' ? ctx.sealer.open(raw) : raw } };
    },
    /** POST …/refreshSecret (NamedValue_RefreshSecret): reads the Key Vault secret now; a failure keeps the last good value and shows in lastStatus. */
    async refreshSecret(entity, ctx, _body, prepared) {
      const reference = storedReference(entity.body);
      if (!reference) throw new ArmError(400, 'BadRequest', 'The named value is not a Key Vault named value.');
      const read = prepared as PreparedSecret | undefined;
      const stored = read?.reference ? await storeSecretRead(ctx, entity, read.reference, read.resolution) : entity;
      return { status: 200, body: await renderResource(stored, namedValueKind, ctx) };
    },
  },
};
