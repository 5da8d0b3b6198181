/** API version sets (reference §5.2): the scheme decides which of the name fields is needed. */
import { invalidField } from '../arm-error.js';
import { canonicalEnum } from '../canonical-enum.js';
import { versionSetSchema } from '../resource-schemas.js';
import type { ResourceKind } from '../resource-kind.js';

export const apiVersionSetKind: ResourceKind = {
  kind: 'apiVersionSet',
  armType: 'Microsoft.ApiManagement/service/apiVersionSets',
  label: 'ApiVersionSet',
  schema: versionSetSchema,
  namePattern: /^[^*#&+:<>?\/]{1,80}$/,
  async prepare({ properties }) {
    const body: Record<string, unknown> = { ...properties };
    body.versioningScheme = canonicalEnum(properties.versioningScheme, ['Segment', 'Query', 'Header']);
    if (body.versioningScheme === 'Query' && !body.versionQueryName) {
      throw invalidField('versionQueryName', "'versionQueryName' is required when versioningScheme is Query.");
    }
    if (body.versioningScheme === 'Header' && !body.versionHeaderName) {
      throw invalidField('versionHeaderName', "'versionHeaderName' is required when versioningScheme is Header.");
    }
    return body;
  },
  async beforeDelete(entity, ctx) {
    for (const api of (await ctx.tx.list({ kind: 'api' })).items) {
      const ref = String(api.body.apiVersionSetId ?? '');
      if (ref !== '' && ref.toLowerCase().endsWith(`/${entity.id.toLowerCase()}`)) {
        throw invalidField('apiVersionSetId', `The version set is used by API '${api.id.slice(5)}'.`);
      }
    }
  },
};
