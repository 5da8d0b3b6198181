/**
 * `start --managed-identity-endpoint URL|off` (GATEHOUSE_MANAGED_IDENTITY_ENDPOINT): where the
 * gateway's managed identity tokens come from (docs/managed-identity.md). A URL speaks the
 * Instance Metadata Service protocol (a self-hosted stand-in, or IMDS behind a proxy); `off`
 * disables the identity. Unset: the App Service / Container Apps endpoint when IDENTITY_ENDPOINT
 * and IDENTITY_HEADER are set, as those platforms announce it, else Azure's IMDS address.
 */
import { instanceMetadataTokenUrl, type ManagedIdentityEndpoint } from '../gateway/managed-identity/token-endpoint.js';
import { UsageError, type CommandLine, type OptionRow } from './command-options.js';

/** The row of `start`'s option table this file reads. */
export const managedIdentityRow: OptionRow = {
  name: 'managed-identity-endpoint',
  kind: 'value',
  valueName: 'URL|off',
  environment: true,
  defaultText: '$IDENTITY_ENDPOINT, else the instance metadata service',
  description: 'where authentication-managed-identity gets tokens: an instance-metadata-protocol URL, or off (docs/managed-identity.md)',
};

/** The endpoint the option, else the environment, names. */
export function parseManagedIdentityEndpoint(line: CommandLine, env: NodeJS.ProcessEnv): ManagedIdentityEndpoint {
  const text = line.text(managedIdentityRow.name)?.trim();
  if (text !== undefined) {
    if (text.toLowerCase() === 'off') return { protocol: 'off' };
    return { protocol: 'imds', url: httpUrl(text, line.source(managedIdentityRow.name)) };
  }
  const endpoint = env.IDENTITY_ENDPOINT?.trim();
  const header = env.IDENTITY_HEADER;
  if (endpoint && header) return { protocol: 'app-service', url: httpUrl(endpoint, 'IDENTITY_ENDPOINT'), header };
  return { protocol: 'imds', url: instanceMetadataTokenUrl };
}

function httpUrl(text: string, source: string): string {
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.username !== '' || url.password !== '') {
    throw new UsageError(`Invalid ${source} '${text}': expected an http:// or https:// URL without credentials, or off.`);
  }
  return url.toString();
}
