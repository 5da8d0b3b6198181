/**
 * Reads `subscriptions/<s>/subscriptionInformation.json` (reference §5.2 "Subscription").
 * Scopes are normalised and must name an existing API or product. Keys absent from the file
 * (the extractor never exports them) are generated and reported to the caller. A missing
 * `state` is `submitted`, as Azure creates it, which cannot call APIs; a log line says so.
 */
import { join } from 'node:path';
import { apiBaseName, type Api, type Product, type Subscription } from '../../model/resources.js';
import type { FolderContext } from './folder-context.js';
import { listFolder } from './folder-files.js';
import { generateSubscriptionKey } from './generate-subscription-key.js';
import { readInformationFile, resourceName } from './information-file.js';
import type { JsonFields } from './json-fields.js';
import { formatScope, parseScope } from './normalize-scope.js';
import { lastSegment } from './resource-id.js';
import { UniqueNames } from './unique-names.js';

export interface GeneratedKeys {
  subscription: string;
  primaryKey: string;
  secondaryKey: string;
}

const states = ['suspended', 'active', 'expired', 'submitted', 'rejected', 'cancelled'] as const;

/** Reads every subscription folder; returns the subscriptions and the keys that were generated (or reused from `reuse`). */
export async function readSubscriptions(
  ctx: FolderContext,
  dir: string,
  apis: readonly Api[],
  products: readonly Product[],
  reuse?: ReadonlyMap<string, GeneratedKeys>,
): Promise<{ subscriptions: Subscription[]; generatedKeys: GeneratedKeys[] }> {
  const apiNames = new Set(apis.map((a) => apiBaseName(a.name)));
  const productNames = new Set(products.map((p) => p.name));
  const subscriptions: Subscription[] = [];
  const generatedKeys: GeneratedKeys[] = [];
  const keyOwners = new Map<string, string>();
  const names = new UniqueNames('subscription');
  for (const folder of (await listFolder(ctx, dir)).folders) {
    const info = await readInformationFile(ctx, join(dir, folder, 'subscriptionInformation.json'));
    const p = info.properties;
    const name = resourceName(info, folder);
    names.claim(name, info.file);

    const { subscription, primary, secondary } = subscriptionFromProperties(ctx, name, p, (key) => reuse?.get(name)?.[key] ?? generateSubscriptionKey());
    if (subscription.scope.startsWith('/apis/') && !apiNames.has(subscription.scope.slice(6))) {
      p.fail('scope', `names API '${subscription.scope.slice(6)}', which has no folder under 'apis/'`);
    }
    if (subscription.scope.startsWith('/products/') && !productNames.has(subscription.scope.slice(10))) {
      p.fail('scope', `names product '${subscription.scope.slice(10)}', which has no folder under 'products/'`);
    }
    if (primary === undefined || secondary === undefined) {
      generatedKeys.push({ subscription: name, primaryKey: subscription.primaryKey, secondaryKey: subscription.secondaryKey });
    }
    // A key must identify one subscription, or the gateway could not tell whose call it is.
    for (const [keyName, key] of [['primaryKey', primary], ['secondaryKey', secondary]] as const) {
      if (key === undefined) continue;
      const owner = keyOwners.get(key);
      if (owner !== undefined) p.fail(keyName, `is the same key as ${owner}`);
      keyOwners.set(key, `${keyName} of subscription '${name}'`);
    }
    subscriptions.push(subscription);
  }
  return { subscriptions, generatedKeys };
}

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
