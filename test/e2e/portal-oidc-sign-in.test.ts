/**
 * Sign-in through an OpenID Connect provider on a real `gatehouse start` (docs/identity-providers.md
 * #signing-in): the portal on `--portal-port` mounts the sign-in, the management API redeems the
 * code, and the browser ends with the portal's own session, which then reads the user's profile
 * through the portal's relay. The provider is oidc-provider on loopback, driven as a browser.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { OidcTestProvider } from '../helpers/oidc-test-provider.js';
import { startGatehouseWithOidcProvider, type GatehouseWithOidcProvider } from './helpers/gatehouse-with-oidc-provider.js';

describe('sign-in through an OpenID Connect provider on gatehouse start', () => {
  let started: GatehouseWithOidcProvider;
  let idp: OidcTestProvider;
  let portalUrl = '';

  before(async () => {
    started = await startGatehouseWithOidcProvider();
    ({ idp, portalUrl } = started);
    idp.accounts.set('e2e-user', { email: 'e2e.user@example.com', given_name: 'Eve', family_name: 'Tester' });
  });
  after(async () => {
    await started?.stop();
  });

  it('signs a new user in, opens the portal session, and the session reads their profile', async () => {
    // The sign-in page's buttons: the visitor reads the providers through the relay.
    const providers = await (await fetch(`${portalUrl}/portal-api/management/identityProviders`)).json();
    assert.deepEqual(providers.value.map((p: { properties: object }) => p.properties), [{ type: 'aad', clientId: idp.clientId }]);
    const start = await fetch(`${portalUrl}/portal-api/signin/aad`, { redirect: 'manual' });
    assert.equal(start.status, 302);
    const flow = start.headers.getSetCookie().find((c) => c.startsWith('gatehouse-oidc='))!.split(';')[0]!;
    const callback = await idp.logIn(start.headers.get('location')!, 'e2e-user');
    const done = await fetch(`${portalUrl}${callback.pathname}${callback.search}`, { redirect: 'manual', headers: { cookie: flow } });
    assert.equal(done.status, 302);
    assert.equal(done.headers.get('location'), '/');
    const session = done.headers.getSetCookie().find((c) => c.startsWith('gatehouse-portal='))!.split(';')[0]!;
    const who = await (await fetch(`${portalUrl}/portal-api/session`, { headers: { cookie: session } })).json();
    assert.equal(who.signedIn, true);
    const profile = await fetch(`${portalUrl}/portal-api/management/users/${who.userId}`, { headers: { cookie: session } });
    assert.equal(profile.status, 200);
    const body = await profile.json();
    assert.equal(body.properties.email, 'e2e.user@example.com');
    assert.deepEqual(body.properties.identities, [{ provider: 'Aad', id: 'e2e-user' }]);
  });
});
