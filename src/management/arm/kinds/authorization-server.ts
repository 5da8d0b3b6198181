/**
 * OAuth 2.0 authorization servers (Azure's `authorizationServers`): the servers an API's
 * `authenticationSettings.oAuth2` names, for the developer portal's test console. The client
 * secret and the resource owner's password are sealed, never returned by GET and read with
 * `listSecrets` (Azure's AuthorizationServerSecretsContract also answers the owner's user name).
 * Gatehouse stores the record; the consoles that use it are later issues.
 */
import type { FieldSchema, PropertiesSchema } from '../property-schema.js';
import type { ResourceKind } from '../resource-kind.js';
import { listSecretsAction, secretRecordHooks } from './secret-fields.js';

const secrets = ['clientSecret', 'resourceOwnerPassword'];
const secretHooks = secretRecordHooks(secrets);
const enumList = (values: readonly string[], required = false): FieldSchema => ({ type: 'array', required, items: { type: 'string', enum: values } });
const text: FieldSchema = { type: 'string' };
const flag: FieldSchema = { type: 'boolean' };

/** AuthorizationServerContractProperties (with its base properties) of the 2024-05-01 specification. */
export const authorizationServerSchema: PropertiesSchema = {
  fields: {
    displayName: { type: 'string', required: true, minLength: 1, maxLength: 50 },
    description: text,
    useInTestConsole: flag,
    useInApiDocumentation: flag,
    clientRegistrationEndpoint: { type: 'string', required: true },
    authorizationEndpoint: { type: 'string', required: true },
    grantTypes: enumList(['authorizationCode', 'implicit', 'resourceOwnerPassword', 'clientCredentials'], true),
    clientId: { type: 'string', required: true },
    clientSecret: text,
    authorizationMethods: enumList(['HEAD', 'OPTIONS', 'TRACE', 'GET', 'POST', 'PUT', 'PATCH', 'DELETE']),
    clientAuthenticationMethod: enumList(['Basic', 'Body']),
    tokenBodyParameters: {
      type: 'array',
      items: { type: 'object', properties: { name: { type: 'string', required: true }, value: { type: 'string', required: true } } },
    },
    tokenEndpoint: text,
    supportState: flag,
    defaultScope: text,
    bearerTokenSendingMethods: enumList(['authorizationHeader', 'query']),
    resourceOwnerUsername: text,
    resourceOwnerPassword: text,
  },
};

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
