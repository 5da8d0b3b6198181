/**
 * A named value's `keyVault` property (KeyVaultContractCreateProperties in Azure's 2024-05-01
 * specification): the reference checked at the edge, resolved through the SecretProvider port,
 * and the stored body it leads to: the reference, the last good value sealed, and
 * `lastStatus` (KeyVaultLastAccessStatusContractProperties: `code`, `message`, `timeStampUtc`).
 * The PUT, the `refreshSecret` action, the folder import and the periodic refresh all go
 * through here, so a failed read is recorded the same way everywhere.
 */
import { parseSecretIdentifier } from '../../../core/secret-identifier.js';
import { SecretResolutionError, type SecretProvider, type SecretReference } from '../../../core/secret-provider.js';
import { ownValue } from '../prototype-keys.js';
import { invalidField, type ArmError } from '../arm-error.js';
import type { SecretSealer } from '../secret-sealer.js';

/** What one read of a secret gave. */
export type SecretResolution =
  | { ok: true; value: string; at: string }
  | { ok: false; code: string; message: string; at: string };

/** The status Azure shows for a read: `Success`, or the failure's code and message. */
export interface KeyVaultStatus {
  code: string;
  message?: string;
  timeStampUtc: string;
}

const guid = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const inputKeys = new Set(['secretIdentifier', 'identityClientId', 'lastStatus']);

/**
 * Checks a request's `keyVault` value; returns the reference. `lastStatus` is read-only and
 * ignored (a body copied from a GET carries it); anything else is refused, naming the field.
 */
export function readKeyVaultInput(value: unknown): SecretReference {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalidField('keyVault', "'keyVault' must be an object.");
  const input = value as Record<string, unknown>;
  for (const key of Object.keys(input)) {
    if (!inputKeys.has(key)) throw invalidField(`keyVault.${key}`, `'${key}' is not a property of keyVault.`);
  }
  const identifier = ownValue(input, 'secretIdentifier');
  if (typeof identifier !== 'string' || identifier === '') throw invalidField('keyVault.secretIdentifier', "'secretIdentifier' is required.");
  if (identifier.length > 2048) throw invalidField('keyVault.secretIdentifier', "'secretIdentifier' must be at most 2048 characters.");
  const parsed = parseSecretIdentifier(identifier);
  if ('error' in parsed) throw invalidField('keyVault.secretIdentifier', parsed.error);
  const clientId = ownValue(input, 'identityClientId');
  if (clientId === undefined || clientId === null) return { identifier };
  // A managed identity's client id is a GUID; Azure answers ValidationError on identityClientId when none matches.
  if (typeof clientId !== 'string' || !guid.test(clientId)) throw invalidField('identityClientId', `'${String(clientId)}' is not a managed identity client id (a GUID).`);
  if (parsed.scheme !== 'keyvault') throw invalidField('identityClientId', "'identityClientId' applies to Key Vault secrets only, not to env: or file: references.");
  return { identifier, identityClientId: clientId };
}

/** The stored reference of a named value body, or undefined when it is not a Key Vault named value. */
export function storedReference(body: Record<string, unknown>): SecretReference | undefined {
  const keyVault = body.keyVault as Record<string, unknown> | undefined;
  if (!keyVault || typeof keyVault.secretIdentifier !== 'string') return undefined;
  return typeof keyVault.identityClientId === 'string' ? { identifier: keyVault.secretIdentifier, identityClientId: keyVault.identityClientId } : { identifier: keyVault.secretIdentifier };
}

/** Reads the secret; a failure is returned, not thrown. Without a provider, nothing can be read. */
export async function resolveSecret(provider: SecretProvider | undefined, reference: SecretReference, now: () => Date): Promise<SecretResolution> {
  try {
    if (!provider) throw new SecretResolutionError('NotConfigured', 'Gatehouse runs without a secret provider here, so the secret was not read.');
    const value = await provider.resolve(reference);
    return { ok: true, value, at: now().toISOString() };
  } catch (err) {
    const at = now().toISOString();
    if (err instanceof SecretResolutionError) return { ok: false, code: err.code, message: err.message, at };
    return { ok: false, code: 'SecretProviderError', message: err instanceof Error ? err.message : String(err), at };
  }
}

/**
 * The 400 ValidationError for a secret that could not be read: Azure refuses a Key Vault named
 * value it cannot read (for an unknown identity the target is identityClientId).
 */
export function unreadableSecretError(reference: SecretReference, failure: { code: string; message: string }): ArmError {
  const target = failure.code === 'CredentialUnavailable' || failure.code === 'AuthenticationFailed' ? 'identityClientId' : 'keyVault';
  return invalidField(target, `The secret '${reference.identifier}' cannot be read: ${failure.message}`);
}

/** Whether two references name the same secret with the same identity. */
export function sameReference(a: SecretReference | undefined, b: SecretReference | undefined): boolean {
  return a !== undefined && b !== undefined && a.identifier === b.identifier && (a.identityClientId ?? '') === (b.identityClientId ?? '');
}

/**
 * The `keyVault` and `value` fields to store after `resolution` (undefined: no read was made).
 * A failure keeps the last good value of the same reference; a result that matches what is
 * stored (same value, same status) keeps the stored status too, so nothing changes and no new
 * configuration version is made.
 */
export function keyVaultFields(
  reference: SecretReference,
  resolution: SecretResolution | undefined,
  existing: Record<string, unknown> | undefined,
  sealer: SecretSealer,
): { keyVault: Record<string, unknown>; value?: string } {
  const stillSame = existing !== undefined && sameReference(storedReference(existing), reference);
  const storedValue = stillSame && typeof existing.value === 'string' && existing.value !== '' ? existing.value : undefined;
  const storedStatus = stillSame ? ((existing.keyVault as Record<string, unknown>).lastStatus as KeyVaultStatus | undefined) : undefined;
  const base: Record<string, unknown> = { secretIdentifier: reference.identifier };
  if (reference.identityClientId) base.identityClientId = reference.identityClientId;
  if (!resolution) {
    return { keyVault: storedStatus ? { ...base, lastStatus: storedStatus } : base, value: storedValue };
  }
  if (resolution.ok) {
    const unchanged = storedValue !== undefined && sealer.open(storedValue) === resolution.value && storedStatus?.code === 'Success';
    if (unchanged) return { keyVault: { ...base, lastStatus: storedStatus }, value: storedValue };
    return { keyVault: { ...base, lastStatus: { code: 'Success', timeStampUtc: resolution.at } }, value: sealer.seal(resolution.value) };
  }
  const sameFailure = storedStatus?.code === resolution.code && storedStatus.message === resolution.message;
  const lastStatus = sameFailure ? storedStatus : { code: resolution.code, message: resolution.message, timeStampUtc: resolution.at };
  return { keyVault: { ...base, lastStatus }, value: storedValue };
}

/** The status of a Key Vault write that came without a read (a folder import run without a secret provider). */
export function notRead(now: Date): SecretResolution {
  return { ok: false, code: 'NotResolved', message: 'The secret was not read: no secret provider was available.', at: now.toISOString() };
}
