/**
 * Parses a named value's `keyVault.secretIdentifier`. Azure's form is
 * `https://<vault>.vault.azure.net/secrets/<name>[/<version>]`; any https host is accepted so
 * sovereign clouds and private vault names work. Self-hosting adds `env:NAME` (an environment
 * variable of the management process) and `file:/absolute/path` (a file it can read).
 */

/** A parsed secret identifier. */
export type SecretLocation =
  | { scheme: 'keyvault'; vaultUrl: string; name: string; version?: string }
  | { scheme: 'env'; variable: string }
  | { scheme: 'file'; path: string };

// Key Vault object names: 1-127 alphanumerics and dashes; versions are 32 hex digits.
const secretName = /^[0-9A-Za-z-]{1,127}$/;
const secretVersion = /^[0-9A-Za-z]{1,64}$/;
const variableName = /^[A-Za-z_][A-Za-z0-9_]{0,255}$/;

/** The location `identifier` names, or a sentence saying why it names none. */
export function parseSecretIdentifier(identifier: string): SecretLocation | { error: string } {
  if (identifier.startsWith('env:')) {
    const variable = identifier.slice(4);
    if (!variableName.test(variable)) return { error: `'${identifier}' is not a valid environment reference: expected env:NAME (letters, digits and '_').` };
    return { scheme: 'env', variable };
  }
  if (identifier.startsWith('file:')) {
    const path = identifier.slice(5);
    // Relative paths would depend on the working directory of whichever process resolves them.
    if (!path.startsWith('/') || path.includes('\0') || path.split('/').includes('..')) {
      return { error: `'${identifier}' is not a valid file reference: expected file:/absolute/path without '..'.` };
    }
    return { scheme: 'file', path };
  }
  let url: URL;
  try {
    url = new URL(identifier);
  } catch {
    return { error: `'${identifier}' is not a valid secret identifier: expected https://<vault>.vault.azure.net/secrets/<name>[/<version>], env:NAME or file:/path.` };
  }
  const parts = url.pathname.split('/').filter((p, i) => i > 0 || p !== '');
  if (url.protocol !== 'https:' || url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '' || parts.length < 2 || parts.length > 3 || parts[0] !== 'secrets' || !secretName.test(parts[1]!) || (parts[2] !== undefined && !secretVersion.test(parts[2]))) {
    return { error: `'${identifier}' is not a valid Key Vault secret identifier: expected https://<vault>.vault.azure.net/secrets/<name>[/<version>].` };
  }
  return { scheme: 'keyvault', vaultUrl: url.origin, name: parts[1]!, version: parts[2] };
}
