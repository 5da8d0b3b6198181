/**
 * What the management API needs of the secret box (DESIGN.md "Secrets … encrypted at rest"):
 * seal a secret before it is stored, open it for `listSecrets`/`listValue` and for compiling
 * policies. Kept as a port so the handler does not depend on how keys are managed.
 */
export interface SecretSealer {
  /** Encrypts a secret for storage. */
  seal(plaintext: string): string;
  /** Decrypts what `seal` produced; throws when it was tampered with. */
  open(sealed: string): string;
}
