/**
 * External caches (Azure's `caches`): the Redis the caching policies use for `prefer-external`
 * and `external` (docs/caching.md). The gateway uses the cache whose `useFromLocation` is
 * `default` (a Gatehouse gateway has no Azure region). As in Azure, a connection string given
 * in clear text is moved into a secret named value and the cache answers `{{that name}}`; it
 * must parse as a redis:// URL or Azure's StackExchange.Redis form, so a typo is a 400, not a
 * cache that silently never answers.
 */
import { invalidField } from '../arm-error.js';
import { cacheSchema } from '../resource-schemas.js';
import type { ResourceKind } from '../resource-kind.js';
import { namedValueReferences } from '../../../pipeline/named-values.js';
import { redisOptionsFrom } from '../../../store/redis-connection-string.js';
import { secretNamedValueReference } from './secret-named-value.js';

export const cacheKind: ResourceKind = {
  kind: 'cache',
  armType: 'Microsoft.ApiManagement/service/caches',
  label: 'Cache',
  schema: cacheSchema,
  // Azure's cacheId: 1-80 characters, none of * # & + : < > ?
  namePattern: /^[^*#&+:<>?\/]{1,80}$/,
  async prepare({ ctx, properties, given }) {
    const body: Record<string, unknown> = { ...properties };
    if (String(properties.useFromLocation ?? '').trim() === '') throw invalidField('useFromLocation', "'useFromLocation' must be 'default' or a region.");
    if (typeof given.connectionString === 'string') {
      const text = given.connectionString;
      if (namedValueReferences(text).length === 0) {
        try {
          redisOptionsFrom(text);
        } catch (err) {
          throw invalidField('connectionString', `The connection string is not a Redis connection string: ${(err as Error).message}`);
        }
      }
      body.connectionString = await secretNamedValueReference(ctx, 'connectionString', 'Cache-ConnectionString', text);
    }
    return body;
  },
};
