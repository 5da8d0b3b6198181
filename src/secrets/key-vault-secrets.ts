/**
 * Reads Azure Key Vault secrets with Azure's own SDK (`@azure/keyvault-secrets`), as API
 * Management does for a named value's `keyVault.secretIdentifier`. The identity follows
 * Azure: `identityClientId` selects a user-assigned managed identity
 * (ManagedIdentityCredential); without it DefaultAzureCredential is used, which on Azure
 * compute is the system-assigned managed identity and elsewhere a service principal from the
 * SDK's own AZURE_* variables (docs/named-values.md). TLS trust follows Node
 * (NODE_EXTRA_CA_CERTS); the SDK's challenge-resource check stays on.
 */
import { DefaultAzureCredential, ManagedIdentityCredential, type TokenCredential } from '@azure/identity';
import { SecretClient } from '@azure/keyvault-secrets';
import { SecretResolutionError } from '../core/secret-provider.js';

/** How the Key Vault client behaves; the defaults suit production. */
export interface KeyVaultSecretsOptions {
  /** Whole time one read may take, token included (default 30 s). */
  timeoutMs?: number;
  /** Retries of a failed request by the SDK (default 2). */
  maxRetries?: number;
  /** The SDK's first retry delay, doubled for each next one (default 500 ms). */
  retryDelayMs?: number;
}

/** A Key Vault secret's location. */
export interface KeyVaultSecretLocation {
  vaultUrl: string;
  name: string;
  version?: string;
}

/** Reads Key Vault secrets, one SDK client per vault and identity so tokens are cached between reads. */
export class KeyVaultSecrets {
  private readonly clients = new Map<string, SecretClient>();
  private readonly credentials = new Map<string, TokenCredential>();

  constructor(private readonly options: KeyVaultSecretsOptions = {}) {}

  /** The secret's value; throws SecretResolutionError. */
  async read(location: KeyVaultSecretLocation, identityClientId: string | undefined): Promise<string> {
    const client = this.client(location.vaultUrl, identityClientId);
    let value: string | undefined;
    try {
      const secret = await client.getSecret(location.name, { version: location.version, abortSignal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000) });
      if (secret.properties.enabled === false) throw new SecretResolutionError('SecretDisabled', `The Key Vault secret '${location.name}' is disabled.`);
      value = secret.value;
    } catch (err) {
      throw resolutionError(err, location);
    }
    if (value === undefined) throw new SecretResolutionError('SecretNotFound', `The Key Vault secret '${location.name}' has no value.`);
    return value;
  }

  private client(vaultUrl: string, identityClientId: string | undefined): SecretClient {
    const key = `${vaultUrl} ${identityClientId ?? ''}`;
    let client = this.clients.get(key);
    if (!client) {
      client = new SecretClient(vaultUrl, this.credential(identityClientId), {
        retryOptions: { maxRetries: this.options.maxRetries ?? 2, retryDelayInMs: this.options.retryDelayMs ?? 500 },
      });
      this.clients.set(key, client);
    }
    return client;
  }

  private credential(identityClientId: string | undefined): TokenCredential {
    const key = identityClientId ?? '';
    let credential = this.credentials.get(key);
    if (!credential) {
      credential = identityClientId ? new ManagedIdentityCredential({ clientId: identityClientId }) : new DefaultAzureCredential();
      this.credentials.set(key, credential);
    }
    return credential;
  }
}

/** The SDK's failure as a status code and a one-line message (Key Vault's own error code when it answered). */
function resolutionError(err: unknown, location: KeyVaultSecretLocation): SecretResolutionError {
  if (err instanceof SecretResolutionError) return err;
  const e = err as { name?: string; code?: string; statusCode?: number; message?: string };
  const where = `Key Vault secret '${location.name}' at ${location.vaultUrl}`;
  const first = String(e.message ?? err).split('\n')[0]!.slice(0, 500);
  if (e.name === 'CredentialUnavailableError' || e.name === 'AggregateAuthenticationError') {
    return new SecretResolutionError('CredentialUnavailable', `No Azure credential could get a token to read the ${where}: ${first}`);
  }
  if (e.name === 'AuthenticationError') return new SecretResolutionError('AuthenticationFailed', `Getting a token to read the ${where} failed: ${first}`);
  if (e.name === 'AbortError' || e.name === 'TimeoutError') return new SecretResolutionError('Timeout', `Reading the ${where} timed out.`);
  if (typeof e.statusCode === 'number') {
    const code = typeof e.code === 'string' && /^[A-Za-z][A-Za-z0-9_.]{0,63}$/.test(e.code) ? e.code : `Http${e.statusCode}`;
    return new SecretResolutionError(code, `Key Vault answered ${e.statusCode} reading the ${where}: ${first}`);
  }
  return new SecretResolutionError('VaultUnreachable', `The ${where} could not be reached: ${first}`);
}
