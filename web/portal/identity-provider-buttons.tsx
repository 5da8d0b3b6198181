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
const providerNames: ReadonlyMap<string, string> = new Map([
  ['aad', 'Microsoft Entra ID'],
  ['aadb2c', 'Azure AD B2C'],
]);

export function IdentityProviderButtons() {
  const providers = useLoaded(
    () => listAll<IdentityProvider>(portalClient(undefined, () => undefined), 'identityProviders').catch(() => [] as IdentityProvider[]),
    [],
  );
  const usable = (providers.value ?? []).filter((p) => providerNames.has(p.name.toLowerCase()));
  if (usable.length === 0) return null;
  return (
    <section aria-labelledby="providers-heading">
      <h2 id="providers-heading">Sign in with your organisation</h2>
      <ul class="identity-providers">
        {usable.map((p) => (
          <li key={p.name}>
            <a href={`/portal-api/signin/${encodeURIComponent(p.name)}`}>Sign in with {providerNames.get(p.name.toLowerCase())}</a>
          </li>
        ))}
      </ul>
    </section>
  );
}
