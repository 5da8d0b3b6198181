/**
 * OpenID Connect providers (Azure's `openidConnectProviders`): the providers an API's
 * `authenticationSettings.openid` names, for the developer portal's test console. The client
 * secret is sealed, never returned by GET and read with `listSecrets`. Gatehouse stores the
 * record; the consoles that use it are later issues.
 */
import type { ResourceKind } from '../resource-kind.js';
import { openidConnectProviderSchema } from '../resource-schemas.js';
import { secretRecordHooks } from './secret-fields.js';

export const openidConnectProviderKind: ResourceKind = {
  kind: 'openidConnectProvider',
  armType: 'Microsoft.ApiManagement/service/openidConnectProviders',
  label: 'OpenIdConnectProvider',
  schema: openidConnectProviderSchema,
  namePattern: /^[^*#&+:<>?\/]{1,256}$/,
  ...secretRecordHooks(['clientSecret']),
};
