/**
 * A real `gatehouse start` whose `identityProviders/aad` names a local OpenID provider
 * (oidc-provider on loopback, test/helpers/oidc-test-provider.ts), with the portal's callback
 * registered at the provider: what the portal sign-in tests (e2e and browser) start from.
 */
import assert from 'node:assert/strict';
import { startOidcTestProvider, type OidcTestProvider } from '../../helpers/oidc-test-provider.js';
import { startGatehouseProcess, type GatehouseProcess } from './gatehouse-process.js';
import { managementClient } from './management-client.js';
import { waitFor } from './wait-for.js';

export interface GatehouseWithOidcProvider {
  gh: GatehouseProcess;
  idp: OidcTestProvider;
  /** The developer portal's URL, as `start` printed it. */
  portalUrl: string;
  stop(): Promise<void>;
}

export async function startGatehouseWithOidcProvider(): Promise<GatehouseWithOidcProvider> {
  const redirectUris: string[] = [];
  const idp = await startOidcTestProvider(redirectUris);
  const gh = await startGatehouseProcess([]);
  await waitFor('the banner', () => /developer portal: http/.test(gh.stdout.join('\n')), gh);
  const portalUrl = /developer portal: (\S+)/.exec(gh.stdout.join('\n'))![1]!;
  redirectUris.push(`${portalUrl}/portal-api/signin/aad/callback`);
  const saved = await managementClient(gh)('PUT', 'identityProviders/aad', { properties: { clientId: idp.clientId, clientSecret: idp.clientSecret, authority: idp.issuer } });
  assert.equal(saved.status, 201, saved.text);
  return {
    gh,
    idp,
    portalUrl,
    async stop() {
      await gh.stop();
      await idp.close();
    },
  };
}
