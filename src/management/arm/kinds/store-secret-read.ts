/**
 * Stores what a fresh read of a Key Vault named value's secret gave (`refreshSecret` and the
 * periodic refresh): a new value is sealed and stored, a failure changes only
 * `keyVault.lastStatus` and the last good value keeps serving, and a read that changes nothing
 * writes nothing (no new configuration version). A new value that would break a policy that
 * uses it is not stored: the last good value stays and the status names the policy problem, as
 * a PUT of that value would have been refused.
 */
import type { StoredEntity } from '../../../core/entity-store.js';
import { ArmError } from '../arm-error.js';
import { recheckAllPolicies } from '../policy-recheck.js';
import type { KindContext } from '../resource-kind.js';
import { keyVaultFields, sameReference, storedReference, type SecretResolution } from './key-vault-reference.js';
import type { SecretReference } from '../../../core/secret-provider.js';

/** Writes `resolution` (a read of `reference`) into `entity` when it still names that reference; returns the stored entity. */
export async function storeSecretRead(ctx: KindContext, entity: StoredEntity, reference: SecretReference, resolution: SecretResolution): Promise<StoredEntity> {
  const current = storedReference(entity.body);
  // A write that changed the reference since the read has read the new one itself.
  if (!current || !sameReference(current, reference)) return entity;
  const fields = keyVaultFields(current, resolution, entity.body, ctx.sealer);
  const body: Record<string, unknown> = { ...entity.body, keyVault: fields.keyVault };
  if (fields.value !== undefined) body.value = fields.value;
  if (JSON.stringify(body) === JSON.stringify(entity.body)) return entity;
  const stored = await ctx.tx.put({ kind: entity.kind, id: entity.id, parent: entity.parent, body }, { ifMatch: entity.etag });
  if (body.value === entity.body.value) return stored;
  try {
    await recheckAllPolicies(ctx, 'The new value of the Key Vault secret breaks a policy that uses the named value.');
    return stored;
  } catch (err) {
    if (!(err instanceof ArmError)) throw err;
    const detail = err.details[0];
    const message = `The secret was read but not applied: ${detail ? `${detail.target}: ${detail.message}` : err.message}`;
    const kept: Record<string, unknown> = { ...entity.body, keyVault: { ...fields.keyVault, lastStatus: { code: 'PolicyValidationError', message, timeStampUtc: resolution.at } } };
    return ctx.tx.put({ kind: entity.kind, id: entity.id, parent: entity.parent, body: kept }, { ifMatch: stored.etag });
  }
}
