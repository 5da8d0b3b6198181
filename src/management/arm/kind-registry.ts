/**
 * Which resource kind serves which ARM path shape (reference §5.1). The key is the chain of
 * collection segments: `apis/operations/policies` for `/apis/{a}/operations/{o}/policies/{p}`.
 */
import type { ResourceKind } from './resource-kind.js';
import { apiKind } from './kinds/api.js';
import { apiReleaseKind } from './kinds/api-release.js';
import { apiSchemaKind } from './kinds/api-schema.js';
import { apiVersionSetKind } from './kinds/api-version-set.js';
import { backendKind } from './kinds/backend.js';
import { cacheKind } from './kinds/cache.js';
import { certificateKind } from './kinds/certificate.js';
import { groupKind } from './kinds/group.js';
import { authorizationServerKind } from './kinds/authorization-server.js';
import { gatewayKind } from './kinds/gateway.js';
import { gatewayCertificateAuthorityKind } from './kinds/gateway-certificate-authority.js';
import { gatewayHostnameConfigurationKind } from './kinds/gateway-hostname-configuration.js';
import { gatewayApiKind, groupUserKind, productApiKind, productGroupKind } from './kinds/links.js';
import { identityProviderKind } from './kinds/identity-provider.js';
import { openidConnectProviderKind } from './kinds/openid-connect-provider.js';
import { userGroupKind, userIdentityKind, userSubscriptionKind } from './kinds/user-views.js';
import { namedValueKind } from './kinds/named-value.js';
import { observabilityChains } from './kinds/observability-kinds.js';
import { operationKind } from './kinds/operation.js';
import { apiPolicyKind, globalPolicyKind, operationPolicyKind, productPolicyKind } from './kinds/policy.js';
import { policyFragmentKind } from './kinds/policy-fragment.js';
import { privateEndpointConnectionKind } from './kinds/private-endpoint-connection.js';
import { privateLinkResourceKind } from './kinds/private-link-resource.js';
import { productKind } from './kinds/product.js';
import { subscriptionKind } from './kinds/subscription.js';
import { tenantAccessKind } from './kinds/tenant-access.js';
import { userKind } from './kinds/user.js';

const byChain: ReadonlyMap<string, ResourceKind> = new Map<string, ResourceKind>([
  ['apis', apiKind],
  ['apis/operations', operationKind],
  ['apis/policies', apiPolicyKind],
  ['apis/operations/policies', operationPolicyKind],
  ['apis/releases', apiReleaseKind],
  ['apis/schemas', apiSchemaKind],
  ['policies', globalPolicyKind],
  ['namedValues', namedValueKind],
  ['apiVersionSets', apiVersionSetKind],
  ['policyFragments', policyFragmentKind],
  ['backends', backendKind],
  ['caches', cacheKind],
  ['certificates', certificateKind],
  ['products', productKind],
  ['products/apis', productApiKind],
  ['products/groups', productGroupKind],
  ['products/policies', productPolicyKind],
  ['subscriptions', subscriptionKind],
  ['users', userKind],
  ['groups', groupKind],
  ['groups/users', groupUserKind],
  ['privateEndpointConnections', privateEndpointConnectionKind],
  ['privateLinkResources', privateLinkResourceKind],
  ['users/groups', userGroupKind],
  ['users/subscriptions', userSubscriptionKind],
  ['users/identities', userIdentityKind],
  ['gateways', gatewayKind],
  ['gateways/apis', gatewayApiKind],
  ['gateways/hostnameConfigurations', gatewayHostnameConfigurationKind],
  ['gateways/certificateAuthorities', gatewayCertificateAuthorityKind],
  ['identityProviders', identityProviderKind],
  ['authorizationServers', authorizationServerKind],
  ['openidConnectProviders', openidConnectProviderKind],
  ['tenant', tenantAccessKind],
  ...observabilityChains,
]);

/** The kind for a chain of collection segments (compared case-insensitively, as ARM does). */
export function kindByChain(chain: readonly string[]): ResourceKind | undefined {
  const key = chain.join('/').toLowerCase();
  for (const [k, kind] of byChain) if (k.toLowerCase() === key) return kind;
  return undefined;
}

/** The canonical spelling of a chain's segments (`namedvalues` → `namedValues`). */
export function canonicalChain(chain: readonly string[]): string[] | undefined {
  const key = chain.join('/').toLowerCase();
  for (const k of byChain.keys()) if (k.toLowerCase() === key) return k.split('/');
  return undefined;
}

/** The kind that stores entities of a store kind (the first registered, for link targets). */
export function kindByStoreKind(kind: string): ResourceKind | undefined {
  for (const k of byChain.values()) if (k.kind === kind) return k;
  return undefined;
}

/** Every chain served, for the docs test. */
export function servedChains(): string[] {
  return [...byChain.keys()];
}
