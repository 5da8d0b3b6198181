/**
 * A stored subscription's properties as the gateway's model (reference §5.2 "Subscription"),
 * read by store-config/service-config-from-entities.ts: scopes normalised; a missing `state` is
 * `submitted`, as Azure creates it, which cannot call APIs.
 */
import { apiBaseName, type Subscription } from '../../model/resources.js';
import type { FolderContext } from './folder-context.js';
import type { JsonFields } from './json-fields.js';
import { formatScope, parseScope } from './normalize-scope.js';
import { lastSegment } from './resource-id.js';

const states = ['suspended', 'active', 'expired', 'submitted', 'rejected', 'cancelled'] as const;

/**
 * A subscription's ARM `properties` (keys in plain text) → the model; a key the properties lack
 * comes from `missingKey`. Also returns the keys as written, undefined when absent.
 */
export function subscriptionFromProperties(
  ctx: FolderContext,
  name: string,
  p: JsonFields,
  missingKey: (key: 'primaryKey' | 'secondaryKey') => string,
): { subscription: Subscription; primary?: string; secondary?: string } {
  const rawScope = p.requiredString('scope', true);
  const scope =
    parseScope(rawScope) ??
    p.fail('scope', `must be /apis, /apis/{api}, /products/{product} or a full resource id ending in one of those, found '${rawScope}'`);
  if (scope.kind === 'api') scope.name = apiBaseName(scope.name);

  let state = p.enumValue('state', states);
  if (!state) {
    state = 'submitted';
    ctx.log(`${p.file}: no 'state'; the subscription is 'submitted' as Azure creates it and cannot call APIs until its state is 'active'`);
  }

  const primary = readKey(p, 'primaryKey');
  const secondary = readKey(p, 'secondaryKey');
  const subscription: Subscription = {
    name,
    displayName: p.requiredString('displayName', true),
    scope: formatScope(scope),
    ownerId: readOwner(p),
    primaryKey: primary ?? missingKey('primaryKey'),
    secondaryKey: secondary ?? missingKey('secondaryKey'),
    state,
    allowTracing: p.boolean('allowTracing'),
    createdDate: p.string('createdDate'),
    startDate: p.string('startDate'),
    expirationDate: p.string('expirationDate'),
    endDate: p.string('endDate'),
  };
  return { subscription, primary, secondary };
}

function readKey(p: JsonFields, key: string): string | undefined {
  const value = p.string(key);
  if (value !== undefined && (value.length < 1 || value.length > 256)) p.fail(key, 'must be 1-256 characters');
  return value;
}

/** Owners are written as `/users/{id}` or a full ARM id; the model keeps `/users/{id}`. */
function readOwner(p: JsonFields): string | undefined {
  const owner = p.string('ownerId');
  if (owner === undefined || owner === '') return undefined;
  if (!/(^|\/)users\/[^/]+\/?$/i.test(owner)) p.fail('ownerId', `must be /users/{user} or a full user resource id, found '${owner}'`);
  return `/users/${lastSegment(owner)}`;
}
