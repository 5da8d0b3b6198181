/**
 * The sign-in page's identity provider part (docs/identity-providers.md#signing-in): a link per
 * configured `aad` or `aadB2C` provider to the portal server's `/portal-api/signin/{provider}`,
 * which sends the browser to the provider, and the message for the `?error=` word the server
 * comes back with when that sign-in failed. Only those fixed words are read, never shown as
 * given.
 */
import { useLoaded } from '../../shared/use-loaded.js';
import { listAll, type PortalClient } from '../portal-client.js';

const providerLabels: Readonly<Record<string, string>> = { aad: 'Microsoft Entra ID', aadb2c: 'Azure AD B2C' };

const errorMessages: Readonly<Record<string, string>> = {
  provider_unknown: 'That identity provider is not configured.',
  provider_unavailable: 'The identity provider could not be reached. Try again later.',
  provider_refused: 'The identity provider did not sign you in.',
  sign_in_expired: 'The sign-in took too long or was started elsewhere. Start it again.',
  state_mismatch: 'The sign-in could not be matched to the one this browser started. Start it again.',
  sign_in_refused: 'The sign-in was refused.',
  missing_claims: 'The identity provider did not share your e-mail address, which the portal needs.',
  account_exists: 'An account with your e-mail address already exists. Sign in with your password, or ask an administrator to link the accounts.',
  too_many_attempts: 'Too many failed sign-ins. Wait a minute and try again.',
  sign_in_failed: 'The sign-in failed. Try again.',
};

interface IdentityProvider {
  name: string;
  properties: { type: string };
}

export function ProviderSignIn({ client }: { client: PortalClient }) {
  const providers = useLoaded(() => listAll<IdentityProvider>(client, 'identityProviders'), [client]);
  const code = new URLSearchParams(window.location.search).get('error');
  // Own keys only: `?error=toString` must not find Object.prototype's function.
  const message = code === null ? undefined : Object.hasOwn(errorMessages, code) ? errorMessages[code] : errorMessages.sign_in_failed;
  const usable = (providers.value ?? []).filter((p) => Object.hasOwn(providerLabels, String(p.properties?.type).toLowerCase()));
  if (message === undefined && usable.length === 0) return null;
  return (
    <section class="provider-sign-in" aria-labelledby="provider-sign-in-heading">
      <h2 id="provider-sign-in-heading">Sign in with your organisation</h2>
      {message ? (
        <p role="alert" class="problem">
          {message}
        </p>
      ) : null}
      <ul>
        {usable.map((p) => (
          <li key={p.name}>
            <a class="button" href={`/portal-api/signin/${encodeURIComponent(p.name)}`}>
              Sign in with {providerLabels[p.properties.type.toLowerCase()]}
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}
