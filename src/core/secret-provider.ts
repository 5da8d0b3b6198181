/**
 * The secret-provider port: what a Key Vault named value's `keyVault.secretIdentifier` points at
 * is read through it, so the management plane never knows whether a secret comes from Azure Key
 * Vault, an environment variable or a file (issue 14 §4). Implementations live in src/secrets/.
 */

/** A reference to one secret, as a named value's `keyVault` property gives it. */
export interface SecretReference {
  /** `https://<vault>/secrets/<name>[/<version>]`, `env:NAME` or `file:/absolute/path`. */
  identifier: string;
  /** The client id of a user-assigned managed identity that reads a Key Vault secret. */
  identityClientId?: string;
}

/** Reads secrets by reference. */
export interface SecretProvider {
  /** The secret's current value; throws SecretResolutionError with a code and a message. */
  resolve(reference: SecretReference): Promise<string>;
}

/**
 * Why a secret could not be read. `code` is what a named value's `keyVault.lastStatus.code`
 * shows (Azure shows `Success` or an error code there); the message never holds the secret.
 */
export class SecretResolutionError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'SecretResolutionError';
  }
}

/** The code of a reference the operator has not allowed (an `env:` variable or `file:` folder not opened at start). */
export const notAllowedCode = 'NotAllowed';

/** Azure refuses Key Vault secrets outside 1 to 4096 characters for named values. */
export const maxSecretLength = 4096;
