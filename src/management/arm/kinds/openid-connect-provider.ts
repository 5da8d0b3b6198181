/**
 * OpenID Connect providers (Azure's `openidConnectProviders`): the providers an API's
 * `authenticationSettings.openid` names, for the developer portal's test console. The client
 * secret is sealed, never returned by GET and read with `listSecrets`. Gatehouse stores the
 * record; the consoles that use it are later issues.
 */
import type { PropertiesSchema } from '../property-schema.js';
import type { ResourceKind } from '../resource-kind.js';
import { secretRecordHooks } from './secret-fields.js';

/** OpenidConnectProviderContractProperties of the 2024-05-01 specification. */
export const openidConnectProviderSchema: PropertiesSchema = {
  fields: {
    displayName: { type: 'string', required: true, maxLength: 50 },
    description: { type: 'string' },
    metadataEndpoint: { type: 'string', required: true },
    clientId: { type: 'string', required: true },
    clientSecret: { type: 'string' },
    useInTestConsole: { type: 'boolean' },
    useInApiDocumentation: { type: 'boolean' },
  },
};

export const openidConnectProviderKind: ResourceKind = {
  kind: 'openidConnectProvider',
  armType: 'Microsoft.ApiManagement/service/openidConnectProviders',
  label: 'OpenIdConnectProvider',
  schema: openidConnectProviderSchema,
  namePattern: /^[^*#&+:<>?\/]{1,256}$/,
  ...secretRecordHooks(['clientSecret']),
};
