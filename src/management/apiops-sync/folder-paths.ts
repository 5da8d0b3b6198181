/**
 * Where each stored entity lives in the APIOps extractor layout (reference "Test corpora
 * available publicly", docs/configuration-folder.md): the folder of each collection and the
 * information file of each kind. Export and import share this table so they cannot disagree.
 */

/** The top-level folder of each collection (the extractor spells some with spaces). */
export const collectionFolders = {
  apis: 'apis',
  products: 'products',
  subscriptions: 'subscriptions',
  namedValues: 'named values',
  backends: 'backends',
  certificates: 'certificates',
  policyFragments: 'policy fragments',
  apiVersionSets: 'version sets',
  groups: 'groups',
  users: 'users',
  // `gateways` and `authorizationServers` are the extractor's names; the extractor writes no
  // identity or OpenID Connect providers, so those folders take the ARM collection's name too.
  gateways: 'gateways',
  authorizationServers: 'authorizationServers',
  identityProviders: 'identityProviders',
  openidConnectProviders: 'openidConnectProviders',
  loggers: 'loggers',
  diagnostics: 'diagnostics',
  tags: 'tags',
} as const;

/** The information file of each kind. */
export const informationFiles = {
  api: 'apiInformation.json',
  operation: 'operationInformation.json',
  apiRelease: 'apiReleaseInformation.json',
  product: 'productInformation.json',
  productApi: 'productApiInformation.json',
  productGroup: 'productGroupInformation.json',
  subscription: 'subscriptionInformation.json',
  namedValue: 'namedValueInformation.json',
  backend: 'backendInformation.json',
  certificate: 'certificateInformation.json',
  policyFragment: 'policyFragmentInformation.json',
  apiVersionSet: 'versionSetInformation.json',
  group: 'groupInformation.json',
  user: 'userInformation.json',
  gateway: 'gatewayInformation.json',
  gatewayApi: 'gatewayApiInformation.json',
  gatewayHostnameConfiguration: 'gatewayHostnameConfigurationInformation.json',
  gatewayCertificateAuthority: 'gatewayCertificateAuthorityInformation.json',
  authorizationServer: 'authorizationServerInformation.json',
  identityProvider: 'identityProviderInformation.json',
  openidConnectProvider: 'openidConnectProviderInformation.json',
  logger: 'loggerInformation.json',
  diagnostic: 'diagnosticInformation.json',
  tag: 'tagInformation.json',
  apiTag: 'apiTagInformation.json',
  productTag: 'productTagInformation.json',
  // Not the extractor's (it does not write operation tags): Gatehouse's, named as its API tags are.
  operationTag: 'operationTagInformation.json',
  apiSchema: 'apiSchemaInformation.json',
} as const;

/** The file name of every policy document (and of a fragment's document). */
export const policyFileName = 'policy.xml';
