/**
 * Identity providers (Azure's `identityProviders`: aad, aadB2C, facebook, google, microsoft,
 * twitter): the external sign-in a developer portal offers. The name is the provider type, as
 * in Azure (`/identityProviders/aad`). The client secret is sealed, never returned by GET and
 * read with `listSecrets`. `aad` and `aadB2C` sign users in (external-sign-in.ts); their
 * `authority` is checked when saved (identity-provider-authority.ts). docs/identity-providers.md.
 */
import { invalidField } from '../arm-error.js';
import { canonicalEnum } from '../canonical-enum.js';
import { checkAuthority } from '../identity-provider-authority.js';
import type { ResourceKind } from '../resource-kind.js';
import { identityProviderSchema } from '../resource-schemas.js';
import { sealGivenSecrets, secretRecordHooks, withoutSecrets } from './secret-fields.js';

/** Azure's IdentityProviderType values, which are also the only resource names. */
export const identityProviderTypes = ['facebook', 'google', 'microsoft', 'twitter', 'aad', 'aadB2C'] as const;

const secrets = ['clientSecret'];
const secretHooks = secretRecordHooks(secrets);

export const identityProviderKind: ResourceKind = {
  kind: 'identityProvider',
  armType: 'Microsoft.ApiManagement/service/identityProviders',
  label: 'IdentityProvider',
  schema: identityProviderSchema,
  namePattern: new RegExp(`^(${identityProviderTypes.join('|')})$`, 'i'),
  async prepare(input) {
    const { name, properties, existing, ctx } = input;
    const type = canonicalEnum(name, identityProviderTypes);
    if (properties.type !== undefined && String(properties.type).toLowerCase() !== String(type).toLowerCase()) {
      throw invalidField('type', `'type' must be '${String(type)}', the identity provider's name.`);
    }
    checkAuthority(properties.authority);
    const sealed = sealGivenSecrets(input, secrets);
    // Azure's create contract requires the secret; a folder never carries it (the extractor leaves
    // secrets out), so an import stores the record without one and says so.
    if (sealed.clientSecret === undefined && !existing && !ctx.folderImport) throw invalidField('clientSecret', "'clientSecret' is required.");
    return { ...withoutSecrets(properties, secrets), type, ...sealed };
  },
  present: secretHooks.present,
  actions: secretHooks.actions,
};
