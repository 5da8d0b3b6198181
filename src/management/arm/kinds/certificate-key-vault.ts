/**
 * Key Vault certificates (CertificateCreateOrUpdateProperties' `keyVault`): Key Vault keeps a
 * certificate with its key as a secret of the same name, a base64 PFX without password
 * (content type application/x-pkcs12). That secret is read through the SecretProvider port like
 * a named value's (key-vault-reference.ts: same reference rules, `lastStatus`, last good value
 * kept on failure); a read is good only when the PFX opens, so a secret that holds something
 * else fails like an unreachable vault. The PFX is stored sealed as `data`, with the subject,
 * thumbprint and expiry read from it, so backends present it exactly like an uploaded one.
 * The PUT, `refreshSecret`, the folder import and the periodic refresh all go through here.
 */
import type { StoredEntity } from '../../../core/entity-store.js';
import type { SecretProvider, SecretReference } from '../../../core/secret-provider.js';
import { CertificateProblem, readCertificateData } from '../../../core/certificate-data.js';
import type { KindContext } from '../resource-kind.js';
import type { SecretSealer } from '../secret-sealer.js';
import { keyVaultFields, resolveSecret, sameReference, storedReference, type SecretResolution } from './key-vault-reference.js';

/** Reads the certificate's secret; a value that is not a PFX Node can open is a failed read. */
export async function readCertificateSecret(provider: SecretProvider | undefined, reference: SecretReference, now: () => Date): Promise<SecretResolution> {
  const resolution = await resolveSecret(provider, reference, now);
  if (!resolution.ok) return resolution;
  if (/-----BEGIN /.test(resolution.value)) {
    return { ok: false, code: 'UnsupportedCertificateFormat', message: 'The secret holds a PEM certificate; Gatehouse reads Key Vault certificates stored as PKCS#12 (content type application/x-pkcs12).', at: resolution.at };
  }
  try {
    if (!readCertificateData(resolution.value, undefined).hasPrivateKey) throw new CertificateProblem('data', "'data' holds a certificate without its private key.");
    return resolution;
  } catch (err) {
    if (!(err instanceof CertificateProblem)) throw err;
    return { ok: false, code: 'InvalidCertificate', message: `The secret is not a usable certificate: ${err.message.replace(/'data'/g, 'the secret')}`, at: resolution.at };
  }
}

/**
 * The body to store for a Key Vault certificate after `resolution` (undefined: no read was
 * made, the stored state is kept). Without any good read yet, the body has the reference and
 * its status only: nothing to present, so the gateway leaves it out until a read succeeds.
 */
export function keyVaultCertificateBody(reference: SecretReference, resolution: SecretResolution | undefined, existing: Record<string, unknown> | undefined, sealer: SecretSealer): Record<string, unknown> {
  // The named-value rules, with the sealed PFX kept under `data` instead of `value`.
  const asNamedValue = existing && storedReference(existing) ? { keyVault: existing.keyVault, value: existing.data } : undefined;
  const fields = keyVaultFields(reference, resolution, asNamedValue, sealer);
  if (fields.value === undefined) return { keyVault: fields.keyVault };
  const { hasPrivateKey: _key, ...details } = readCertificateData(sealer.open(fields.value), undefined);
  return { ...details, keyVault: fields.keyVault, data: fields.value };
}

/** Writes a fresh read into a stored certificate that still names `reference`; returns the stored entity (unchanged reads write nothing). */
export async function storeCertificateRead(ctx: KindContext, entity: StoredEntity, reference: SecretReference, resolution: SecretResolution): Promise<StoredEntity> {
  const current = storedReference(entity.body);
  if (!current || !sameReference(current, reference)) return entity;
  const body = keyVaultCertificateBody(current, resolution, entity.body, ctx.sealer);
  if (JSON.stringify(body) === JSON.stringify(entity.body)) return entity;
  return ctx.tx.put({ kind: entity.kind, id: entity.id, parent: entity.parent, body }, { ifMatch: entity.etag });
}
