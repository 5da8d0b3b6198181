/**
 * The SecretProvider Gatehouse runs with: dispatches a reference by its form (Key Vault URL,
 * `env:`, `file:`; the last two closed unless the operator allowed them) and applies Azure's rule
 * that a named value's secret holds 1 to 4096 characters, whatever its source.
 */
import { parseSecretIdentifier } from '../core/secret-identifier.js';
import { maxSecretLength, SecretResolutionError, type SecretProvider, type SecretReference } from '../core/secret-provider.js';
import { readEnvironmentSecret } from './environment-secrets.js';
import { readFileSecret } from './file-secrets.js';
import { closedAllowList, type SecretAllowList } from './secret-allow-list.js';
import { KeyVaultSecrets, type KeyVaultSecretsOptions } from './key-vault-secrets.js';

/** Where the secret sources look. */
export interface SecretResolverOptions {
  /** Variables `env:` references read (default: this process's). */
  env?: NodeJS.ProcessEnv;
  /** Folders `file:` references may not read (Gatehouse's data folder), even inside an allowed one. */
  deniedFolders?: readonly string[];
  /** The variables and folders `env:` and `file:` references may read (default: none). */
  allowed?: SecretAllowList;
  keyVault?: KeyVaultSecretsOptions;
}

/** Creates the provider for the management plane. */
export function createSecretResolver(options: SecretResolverOptions = {}): SecretProvider {
  const keyVault = new KeyVaultSecrets(options.keyVault);
  const env = options.env ?? process.env;
  const allowed = options.allowed ?? closedAllowList;
  return {
    async resolve(reference: SecretReference): Promise<string> {
      const location = parseSecretIdentifier(reference.identifier);
      if ('error' in location) throw new SecretResolutionError('InvalidSecretIdentifier', location.error);
      let value: string;
      if (location.scheme === 'env') value = readEnvironmentSecret(location.variable, env, allowed);
      else if (location.scheme === 'file') value = await readFileSecret(location.path, allowed, options.deniedFolders ?? []);
      else value = await keyVault.read(location, reference.identityClientId);
      // Azure: "Secrets stored in Azure Key Vault must be between 1 and 4096 characters".
      if (value.length === 0) throw new SecretResolutionError('InvalidSecret', 'The secret is empty; a named value takes 1 to 4096 characters.');
      if (value.length > maxSecretLength) throw new SecretResolutionError('SecretTooLong', `The secret has ${value.length} characters; a named value takes at most ${maxSecretLength}.`);
      return value;
    },
  };
}
