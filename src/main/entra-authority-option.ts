/**
 * `start --entra-authority URL` (GATEHOUSE_ENTRA_AUTHORITY): the Microsoft Entra ID authority
 * validate-azure-ad-token finds a tenant's OpenID discovery documents under
 * (`<authority>/<tenant>/v2.0/.well-known/openid-configuration`). Microsoft's global cloud by
 * default; a national cloud's (`https://login.microsoftonline.us`), or a stand-in of your own.
 */
import { defaultEntraAuthority } from '../policies/validate-azure-ad-token.js';
import { UsageError, type CommandLine, type OptionRow } from './command-options.js';
import { baseHttpUrl } from './base-url.js';

/** The row of `start`'s option table this file reads. */
export const entraAuthorityRow: OptionRow = {
  name: 'entra-authority',
  kind: 'value',
  valueName: 'URL',
  environment: true,
  defaultText: defaultEntraAuthority,
  description: 'the Microsoft Entra ID authority validate-azure-ad-token discovers tenants under (docs/policies/validate-azure-ad-token.md)',
};

/** The authority, without a trailing slash. */
export function parseEntraAuthority(line: CommandLine): string {
  const text = line.text(entraAuthorityRow.name)?.trim();
  if (text === undefined) return defaultEntraAuthority;
  const url = baseHttpUrl(text);
  if (url === undefined) {
    throw new UsageError(`Invalid ${line.source(entraAuthorityRow.name)} '${text}': expected an http:// or https:// URL without credentials, query or fragment.`);
  }
  return url;
}
