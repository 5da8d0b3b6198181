/**
 * Reads the secrets of a folder's Key Vault named values (and, with certificateSecrets, of its
 * Key Vault certificates) before the import's store transaction,
 * so a slow vault never holds the store's write lock. The references are checked as the
 * management API checks them (a malformed one fails the import, naming the file). A secret that
 * cannot be read does NOT fail the import: the named value is stored with its reference, keeps
 * the last good value a previous import or refresh stored (none for a new one), shows the
 * failure in `keyVault.lastStatus`, and the periodic refresh reads it again. Azure's PUT would
 * refuse it; an extractor folder is often loaded where its vault is not reachable yet, and one
 * vault must not keep every other resource out (docs/named-values.md). An `env:` or `file:`
 * reference the operator has not allowed does fail the import, as it fails a PUT.
 */
import { notAllowedCode, type SecretProvider } from '../../core/secret-provider.js';
import { readCertificateSecret } from '../arm/kinds/certificate-key-vault.js';
import { readKeyVaultInput, resolveSecret, unreadableSecretError } from '../arm/kinds/key-vault-reference.js';
import type { PreparedSecret } from '../arm/kinds/named-value.js';
import { folderErrorFrom } from './folder-error-from.js';
import type { PlannedWrite } from './import-plan.js';

/** The reads by store id (lower case), and one warning per secret that could not be read. */
export async function readFolderSecrets(
  namedValues: readonly PlannedWrite[],
  secrets: SecretProvider | undefined,
  now: () => Date,
  certificates: readonly PlannedWrite[] = [],
): Promise<{ reads: Map<string, PreparedSecret>; warnings: string[] }> {
  const [values, certs] = await Promise.all([readSecretsOf(namedValues, 'named value', resolveSecret, secrets, now), readSecretsOf(certificates, 'certificate', readCertificateSecret, secrets, now)]);
  return { reads: new Map([...values.reads, ...certs.reads]), warnings: [...values.warnings, ...certs.warnings] };
}

async function readSecretsOf(
  namedValues: readonly PlannedWrite[],
  label: string,
  read: typeof resolveSecret,
  secrets: SecretProvider | undefined,
  now: () => Date,
): Promise<{ reads: Map<string, PreparedSecret>; warnings: string[] }> {
  const reads = new Map<string, PreparedSecret>();
  const warnings: string[] = [];
  const references = namedValues.flatMap((w) => {
    const keyVault = w.properties.keyVault;
    if (keyVault === undefined || keyVault === null) return [];
    try {
      return [{ w, reference: readKeyVaultInput(keyVault) }];
    } catch (err) {
      throw folderErrorFrom(w.file, err);
    }
  });
  // Read side by side: an unreachable vault costs its timeout once, not once per named value.
  const resolutions = await Promise.all(references.map(({ reference }) => read(secrets, reference, now)));
  references.forEach(({ w, reference }, i) => {
    const resolution = resolutions[i]!;
    // Not a vault that may be reachable later: the operator has not opened this reference at all.
    if (!resolution.ok && resolution.code === notAllowedCode) throw folderErrorFrom(w.file, unreadableSecretError(reference, resolution));
    if (!resolution.ok) {
      warnings.push(`${w.file}: Key Vault ${label} '${w.segments[1]}' cannot be read (${resolution.code}: ${resolution.message}); it keeps its last good value, if any (else it is empty), and the periodic refresh reads it again`);
    }
    reads.set(w.segments.join('/').toLowerCase(), { resolution });
  });
  return { reads, warnings };
}
