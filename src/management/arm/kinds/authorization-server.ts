/**
 * OAuth 2.0 authorization servers (Azure's `authorizationServers`): the servers an API's
 * `authenticationSettings.oAuth2` names, for the developer portal's test console. The client
 * secret and the resource owner's password are sealed, never returned by GET and read with
 * `listSecrets` (Azure's AuthorizationServerSecretsContract also answers the owner's user name).
 * Gatehouse stores the record; the consoles that use it are later issues.
 */
import type { ResourceKind } from '../resource-kind.js';
import { authorizationServerSchema } from '../resource-schemas.js';
import { listSecretsAction, secretRecordHooks } from './secret-fields.js';

const secrets = ['clientSecret', 'resourceOwnerPassword'];
const secretHooks = secretRecordHooks(secrets);

export const authorizationServerKind: ResourceKind = {
  kind: 'authorizationServer',
  armType: 'Microsoft.ApiManagement/service/authorizationServers',
  label: 'AuthorizationServer',
  schema: authorizationServerSchema,
  namePattern: /^[^*#&+:<>?\/]{1,80}$/,
  prepare: secretHooks.prepare,
  present: secretHooks.present,
  actions: {
    // Azure's AuthorizationServerSecretsContract answers the owner's user name beside the secrets.
    async listSecrets(entity, ctx) {
      const opened = await listSecretsAction(secrets)(entity, ctx);
      const owner = entity.body.resourceOwnerUsername;
      return typeof owner === 'string' ? { ...opened, body: { ...(opened.body as Record<string, unknown>), resourceOwnerUsername: owner } } : opened;
    },
  },
};
