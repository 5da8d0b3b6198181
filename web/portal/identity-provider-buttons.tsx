/**
 * The sign-in page's buttons for the identity providers the portal signs in with (OpenID
 * Connect: `aad`, `aadB2C`): each is a plain link to `/portal-api/signin/{provider}`, a full page
 * load that the portal server sends on to the provider. The list is the management API's
 * `identityProviders`; when it cannot be read (none configured, or a management API that does not
 * show it to visitors), there are no buttons and nothing is said.
 */
import { useLoaded } from '../shared/use-loaded.js';
import type { IdentityProvider } from './account-resources.js';
import { listAll, portalClient } from './portal-client.js';

/** The providers the portal's sign-in module serves, and how their buttons read. */
const providerNames: Readonly<Record<string, string>> = { aad: 'Microsoft Entra ID', aadb2c: 'Azure AD B2C' };

/** What `/signin?error=…` (set by the portal's provider sign-in) means, in words. */
const signInErrors: Readonly<Record<string, string>> = {
  provider_unknown: 'That identity provider is not set up on this portal.',
  provider_unavailable: 'The identity provider could not be reached. Try again in a moment.',
  provider_refused: 'The identity provider did not sign you in.',
  sign_in_expired: 'The sign-in took too long. Start again.',
  state_mismatch: 'The sign-in could not be matched to this browser. Start again from this page.',
  sign_in_refused: 'Your account may not sign in here (it may be blocked or waiting for confirmation).',
  missing_claims: 'The identity provider did not give the e-mail address and name the portal needs.',
  account_exists: 'An account with this e-mail address already exists. Sign in with its password.',
  too_many_attempts: 'Too many sign-in attempts. Wait a minute and try again.',
  sign_in_failed: 'The sign-in did not succeed. Try again.',
};

/** The message for `?error=…`, or undefined when the URL has none. */
export function signInErrorMessage(search: string): string | undefined {
  const code = new URLSearchParams(search).get('error');
  if (!code) return undefined;
  return signInErrors[code] ?? 'The sign-in did not succeed. Try again.';
}

export function IdentityProviderButtons() {
  const providers = useLoaded(
    () => listAll<IdentityProvider>(portalClient(undefined, () => undefined), 'identityProviders').catch(() => [] as IdentityProvider[]),
    [],
  );
  const usable = (providers.value ?? []).filter((p) => providerNames[p.name.toLowerCase()] !== undefined);
  if (usable.length === 0) return null;
  return (
    <section aria-labelledby="providers-heading">
      <h2 id="providers-heading">Or sign in with</h2>
      <ul class="identity-providers">
        {usable.map((p) => (
          <li key={p.name}>
            <a href={`/portal-api/signin/${encodeURIComponent(p.name)}`}>{providerNames[p.name.toLowerCase()]}</a>
          </li>
        ))}
      </ul>
    </section>
  );
}
