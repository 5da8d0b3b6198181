/**
 * Certificates (Azure's `/certificates/{id}`, CertificateContract): a PFX file (`data`, base64)
 * and its `password`, opened at PUT so a bad file or password is a 400 naming the property; or
 * a Key Vault certificate (`keyVault.secretIdentifier`, optional `identityClientId`), whose PFX
 * is read through the secret provider at PUT, by `refreshSecret` and by the periodic refresh
 * (certificate-key-vault.ts), `keyVault.lastStatus` saying how the last read went. The PFX and
 * password are sealed at rest like secret named values; GET shows only subject, thumbprint,
 * expirationDate (and keyVault), as Azure does. Backends present them to their services as
 * client certificates (`credentials.certificateIds` / `credentials.certificate`), so deleting
 * one a backend (or a self-hosted gateway) names is refused.
 */
import { ArmError, invalidField } from '../arm-error.js';
import { renderResource } from '../render-resource.js';
import { certificateSchema } from '../resource-schemas.js';
import type { KindContext, ResourceKind } from '../resource-kind.js';
import { CertificateProblem, readCertificateData } from '../../../core/certificate-data.js';
import type { StoredEntity } from '../../../core/entity-store.js';
import { lastSegment } from '../arm-ids.js';
import { keyVaultCertificateBody, readCertificateSecret, storeCertificateRead } from './certificate-key-vault.js';
import { notRead, readKeyVaultInput, storedReference, unreadableSecretError } from './key-vault-reference.js';
import type { PreparedSecret } from './named-value.js';
import { policyRecheckHooks } from './policy-dependency.js';

export const certificateKind: ResourceKind = {
  kind: 'certificate',
  armType: 'Microsoft.ApiManagement/service/certificates',
  label: 'Certificate',
  schema: certificateSchema,
  namePattern: /^[^*#&+:<>?\/]{1,80}$/,
  async beforeTransaction(given, services): Promise<PreparedSecret | undefined> {
    if (given.keyVault === undefined || given.keyVault === null) return undefined;
    const reference = readKeyVaultInput(given.keyVault);
    const resolution = await readCertificateSecret(services.secrets, reference, services.now);
    // As for named values, Azure refuses a Key Vault certificate it cannot read.
    if (!resolution.ok) throw unreadableSecretError(reference, resolution);
    return { resolution };
  },
  async prepare({ ctx, given, existing, prepared }) {
    if (given.keyVault !== undefined && given.keyVault !== null) {
      for (const field of ['data', 'password']) {
        if (given[field] !== undefined) throw invalidField(field, `'${field}' cannot be given with 'keyVault': the certificate is read from the vault.`);
      }
      const reference = readKeyVaultInput(given.keyVault);
      const resolution = (prepared as PreparedSecret | undefined)?.resolution ?? notRead(ctx.now());
      return keyVaultCertificateBody(reference, resolution, existing?.body, ctx.sealer);
    }
    let data: string;
    let password: string | undefined;
    if (typeof given.data === 'string') {
      data = given.data;
      password = typeof given.password === 'string' ? given.password : undefined;
    } else if (existing && typeof existing.body.data === 'string') {
      // A write without data keeps the stored certificate (an exported folder leaves it out).
      data = ctx.sealer.open(existing.body.data);
      password = typeof existing.body.password === 'string' ? ctx.sealer.open(existing.body.password) : undefined;
    } else throw invalidField('data', "'data' is required.");
    let details;
    try {
      details = readCertificateData(data, password);
    } catch (err) {
      if (err instanceof CertificateProblem) throw invalidField(err.field, err.message);
      throw err;
    }
    const { hasPrivateKey, ...shown } = details;
    // A public-only certificate (.cer, or PEM without a key) serves validation, not presenting.
    const body: Record<string, unknown> = { ...shown, data: ctx.sealer.seal(data) };
    if (!hasPrivateKey) body.publicOnly = true;
    if (password !== undefined) body.password = ctx.sealer.seal(password);
    return body;
  },
  async present(entity) {
    const { subject, thumbprint, expirationDate, keyVault } = entity.body;
    return { subject, thumbprint, expirationDate, keyVault };
  },
  async prepareAction(action, entity, services): Promise<PreparedSecret | undefined> {
    const reference = storedReference(entity.body);
    if (action.toLowerCase() !== 'refreshsecret' || !reference) return undefined;
    return { resolution: await readCertificateSecret(services.secrets, reference, services.now), reference };
  },
  actions: {
    /** POST …/refreshSecret (Certificate_RefreshSecret): reads the Key Vault certificate now; a failure keeps the last good one and shows in lastStatus. */
    async refreshSecret(entity, ctx, _body, prepared) {
      if (!storedReference(entity.body)) throw new ArmError(400, 'BadRequest', 'The certificate is not a Key Vault certificate.');
      const read = prepared as PreparedSecret | undefined;
      const stored = read?.reference ? await storeCertificateRead(ctx, entity, read.reference, read.resolution) : entity;
      return { status: 200, body: await renderResource(stored, certificateKind, ctx) };
    },
  },
  // authentication-certificate and validate-client-certificate name certificates: a change that breaks one is refused.
  ...policyRecheckHooks('The certificate is used by a policy.'),
  async beforeDelete(entity, ctx) {
    const user = await backendUsing(entity, ctx);
    if (user) throw new ArmError(409, 'Conflict', `Certificate is in use by backend '${user}' and cannot be deleted.`);
    const gatewayUse = await gatewayUsing(entity, ctx);
    if (gatewayUse) throw new ArmError(409, 'Conflict', `Certificate is in use by ${gatewayUse} and cannot be deleted.`);
  },
};

/** The name of a backend whose credentials name `certificate` (by id or thumbprint), if any. */
async function backendUsing(certificate: StoredEntity, ctx: KindContext): Promise<string | undefined> {
  const name = certificate.id.slice(certificate.id.lastIndexOf('/') + 1).toLowerCase();
  const thumbprint = String(certificate.body.thumbprint ?? '').toLowerCase();
  for (const backend of (await ctx.tx.list({ kind: 'backend' })).items) {
    const credentials = (backend.body.credentials ?? {}) as { certificateIds?: unknown; certificate?: unknown };
    const ids = Array.isArray(credentials.certificateIds) ? credentials.certificateIds.map(String) : [];
    const thumbprints = Array.isArray(credentials.certificate) ? credentials.certificate.map(String) : [];
    if (ids.some((id) => id.slice(id.lastIndexOf('/') + 1).toLowerCase() === name) || thumbprints.some((t) => t.toLowerCase() === thumbprint)) {
      return backend.id.slice(backend.id.lastIndexOf('/') + 1);
    }
  }
  return undefined;
}

/**
 * What of a self-hosted gateway names `certificate`, as a certificate authority or in a
 * hostname configuration (`gateway 'g'`, `hostname configuration 'h' of gateway 'g'`), if anything.
 */
async function gatewayUsing(certificate: StoredEntity, ctx: KindContext): Promise<string | undefined> {
  const name = lastSegment(certificate.id).toLowerCase();
  for (const authority of (await ctx.tx.list({ kind: 'gatewayCertificateAuthority' })).items) {
    if (lastSegment(authority.id).toLowerCase() === name) return `gateway '${lastSegment(authority.parent)}' (as a certificate authority)`;
  }
  for (const hostname of (await ctx.tx.list({ kind: 'gatewayHostnameConfiguration' })).items) {
    const id = typeof hostname.body.certificateId === 'string' ? hostname.body.certificateId : '';
    if (id !== '' && lastSegment(id).toLowerCase() === name) return `hostname configuration '${lastSegment(hostname.id)}' of gateway '${lastSegment(hostname.parent)}'`;
  }
  return undefined;
}
