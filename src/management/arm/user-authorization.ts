/**
 * What a user principal (a request signed with a user token, user-token.ts) may do on the
 * management API: one table of allowed routes, each with its rule. Anything not in the table is
 * a 403 with ARM's `AuthorizationFailed`. Within an allowed route, what the user may not see
 * answers exactly as what does not exist (404, or the 400 a missing reference gets), so ids
 * cannot be probed; lists leave it out. The rules run inside the request's store transaction
 * (resource-operations.ts `RequestGuard`), so a check and the write it allows are one step.
 * Routes match the segments the handler itself serves (decoded, `..` already resolved by the
 * URL parser, encoded slashes refused), literal segments case-insensitively. docs/user-access.md
 * lists the table.
 */
import type { StoredEntity } from '../../core/entity-store.js';
import { ArmError, invalidField, notFound } from './arm-error.js';
import { relativeReference } from './arm-ids.js';
import type { KindContext } from './resource-kind.js';
import type { RequestGuard } from './resource-operations.js';
import { readUserVisibility, type UserVisibility } from './user-visibility.js';

type Params = Readonly<Record<string, string>>;

/** One rule: what must hold for the addressed resource, which list items show, what a write may change. */
interface Rule {
  admit(view: UserVisibility, params: Params, ctx: KindContext): Promise<void> | void;
  shows?(entity: StoredEntity, view: UserVisibility): boolean;
  writes?(given: Record<string, unknown>, existing: StoredEntity | undefined, view: UserVisibility, params: Params, ctx: KindContext): Promise<Record<string, unknown>> | Record<string, unknown>;
  /** Properties left out of what the user is answered (of the resource, or of each listed one). */
  hides?: readonly string[];
  /** The only properties the user is answered (of the resource, or of each listed one). */
  keeps?: readonly string[];
}

export interface UserRoute {
  method: 'GET' | 'PUT' | 'PATCH' | 'POST';
  /** Below the service; `{name}` matches one segment. */
  path: string;
  rule: Rule;
  /** One line for the docs table. */
  grants: string;
  /** Whether the developer portal's anonymous visitor may take it too (the catalogue's reads). */
  visitor?: true;
}

const name = (id: string): string => id.slice(id.lastIndexOf('/') + 1).toLowerCase();

/** Refuses what the user (the anonymous visitor: '') may not do (403, ARM's AuthorizationFailed). */
export function authorizationFailed(user: string, what: string): ArmError {
  const who = user === '' ? 'The anonymous visitor' : `The user '${user}'`;
  return new ArmError(403, 'AuthorizationFailed', `${who} does not have authorization to ${what}.`);
}

/** Refuses a property the user may not write. */
function refuseProperties(given: Record<string, unknown>, allowed: readonly string[], view: UserVisibility, what: string): void {
  const extra = Object.keys(given).filter((k) => !allowed.includes(k));
  if (extra.length > 0) throw authorizationFailed(view.user, `set ${extra.map((k) => `'${k}'`).join(', ')} on ${what} (allowed: ${allowed.join(', ')})`);
}

/** A list of what the user may see (`products` or `apis`): the rest is left out. */
const visibleList = (of: 'products' | 'apis'): Rule => ({
  admit: () => undefined,
  shows: (entity, view) => view[of].has(name(entity.id)),
});

/** One product or API the user may see, named by the route's `{param}`; otherwise 404 as a missing `label`. */
const visibleItem = (of: 'products' | 'apis', param: string, label: string): Rule => ({
  admit(view, params) {
    if (!view[of].has(params[param]!.toLowerCase())) throw notFound(label);
  },
});

const visibleProducts = visibleList('products');
const visibleProduct = visibleItem('products', 'product', 'Product');
// An API's backend address is the operator's, not the developer's: they call the gateway.
const apiInternals = ['serviceUrl'];
const visibleApis: Rule = { ...visibleList('apis'), hides: apiInternals };
const visibleApi: Rule = { ...visibleItem('apis', 'api', 'Api'), hides: apiInternals };
const visibleProductApis: Rule = { ...visibleProduct, hides: apiInternals };

// What a portal needs to offer an external sign-in: never the secret, the tenants or the authority.
const identityProviderPublic: Rule = { admit: () => undefined, keeps: ['type', 'clientId'] };

const self: Rule = {
  admit(view, params) {
    if (params.user!.toLowerCase() !== view.user) throw notFound('User');
  },
  writes(given, _existing, view) {
    refuseProperties(given, ['firstName', 'lastName', 'password'], view, 'their user');
    return given;
  },
};

/** The user's own subscription `sid`, or undefined. */
async function ownSubscriptionOf(ctx: KindContext, view: UserVisibility, sid: string): Promise<StoredEntity | undefined> {
  const subscription = await ctx.tx.get(`subscriptions/${sid}`);
  if (!subscription || subscription.kind !== 'subscription') return undefined;
  return relativeReference(String(subscription.body.ownerId ?? '')).toLowerCase() === `users/${view.user}` ? subscription : undefined;
}

const ownSubscription: Rule = {
  async admit(view, params, ctx) {
    if (!(await ownSubscriptionOf(ctx, view, params.subscription!))) throw notFound('Subscription');
  },
  // A user may only cancel their subscription; approving, suspending and the rest are the administrator's.
  writes(given, _existing, view) {
    refuseProperties(given, ['state'], view, 'a subscription');
    if (String(given.state).toLowerCase() !== 'cancelled') throw authorizationFailed(view.user, `set a subscription's state to '${String(given.state)}' (only 'cancelled')`);
    return { state: 'cancelled' };
  },
};

/** States in which a subscription counts against its product's `subscriptionsLimit` ("at the same time", Azure). */
const liveStates = new Set(['active', 'submitted', 'suspended']);

const newSubscription: Rule = {
  admit: () => undefined,
  async writes(given, existing, view, _params, ctx) {
    // Create only: whoever owns a taken id, it is not this user's to replace (409 either way).
    if (existing) throw new ArmError(409, 'Conflict', 'A subscription with this id exists; choose another id (the developer portal makes a new GUID for each).');
    refuseProperties(given, ['scope', 'displayName', 'ownerId'], view, 'a new subscription');
    if (typeof given.ownerId === 'string' && given.ownerId !== '' && relativeReference(given.ownerId).toLowerCase() !== `users/${view.user}`) {
      throw authorizationFailed(view.user, 'create a subscription for another user');
    }
    const scope = relativeReference(String(given.scope ?? '')).split('/');
    if (scope.length !== 2 || scope[0]!.toLowerCase() !== 'products') throw authorizationFailed(view.user, 'subscribe to anything but a product');
    const product = view.products.get(scope[1]!.toLowerCase());
    // An invisible product answers as a missing one does (kinds/kind-helpers.ts referencedEntity).
    if (!product) throw invalidField('scope', `Product '${scope[1]}' not found.`);
    const limit = product.body.subscriptionsLimit;
    if (typeof limit === 'number') {
      const held = (await ctx.tx.list({ kind: 'subscription' })).items.filter(
        (s) => relativeReference(String(s.body.ownerId ?? '')).toLowerCase() === `users/${view.user}` && relativeReference(String(s.body.scope ?? '')).toLowerCase() === product.id.toLowerCase() && liveStates.has(String(s.body.state)),
      );
      if (held.length >= limit) throw new ArmError(409, 'Conflict', `The product's subscriptions limit is reached: a user may hold ${limit} subscription(s) to '${name(product.id)}' at the same time.`);
    }
    return { ...given, ownerId: `/users/${view.user}`, state: product.body.approvalRequired === true ? 'submitted' : 'active' };
  },
};

/**
 * Reading the identity providers, as the portal's sign-in page needs to offer their buttons: the
 * anonymous visitor, who is the one signing in, takes these routes as a user does.
 */
export const identityProviderRoutes: readonly UserRoute[] = [
  { method: 'GET', path: 'identityProviders', rule: identityProviderPublic, grants: 'the identity providers, with only their `type` and `clientId`', visitor: true },
  { method: 'GET', path: 'identityProviders/{identityProvider}', rule: identityProviderPublic, grants: 'one identity provider, with only its `type` and `clientId`', visitor: true },
];

/** Every route a user may take; everything else is 403. */
export const userRoutes: readonly UserRoute[] = [
  { method: 'GET', path: 'products', rule: visibleProducts, grants: 'the published products visible to one of their groups', visitor: true },
  { method: 'GET', path: 'products/{product}', rule: visibleProduct, grants: 'one of those products', visitor: true },
  { method: 'GET', path: 'products/{product}/apis', rule: visibleProductApis, grants: "a visible product's APIs", visitor: true },
  { method: 'GET', path: 'products/{product}/apis/{api}', rule: visibleProductApis, grants: 'one API of a visible product', visitor: true },
  { method: 'GET', path: 'apis', rule: visibleApis, grants: 'the APIs in visible products (current revisions)', visitor: true },
  { method: 'GET', path: 'apis/{api}', rule: visibleApi, grants: 'one of those APIs, and its export (`?export=true&format=…`)', visitor: true },
  { method: 'GET', path: 'apis/{api}/operations', rule: visibleApi, grants: "a visible API's operations", visitor: true },
  { method: 'GET', path: 'apis/{api}/operations/{operation}', rule: visibleApi, grants: 'one of those operations', visitor: true },
  { method: 'GET', path: 'apis/{api}/schemas', rule: visibleApi, grants: "a visible API's schemas", visitor: true },
  { method: 'GET', path: 'apis/{api}/schemas/{schema}', rule: visibleApi, grants: 'one of those schemas', visitor: true },
  ...identityProviderRoutes,
  { method: 'GET', path: 'users/{user}', rule: self, grants: 'their own user' },
  { method: 'PATCH', path: 'users/{user}', rule: self, grants: 'their own `firstName`, `lastName` and `password`, nothing else' },
  { method: 'GET', path: 'users/{user}/subscriptions', rule: self, grants: 'their own subscriptions' },
  { method: 'GET', path: 'users/{user}/subscriptions/{subscription}', rule: self, grants: 'one of their own subscriptions' },
  { method: 'PUT', path: 'subscriptions/{subscription}', rule: newSubscription, grants: 'a new subscription, owned by them, to a visible product' },
  { method: 'GET', path: 'subscriptions/{subscription}', rule: ownSubscription, grants: 'their own subscription' },
  { method: 'PATCH', path: 'subscriptions/{subscription}', rule: ownSubscription, grants: 'their own subscription\'s `state`, to `cancelled` only' },
  { method: 'POST', path: 'subscriptions/{subscription}/listSecrets', rule: ownSubscription, grants: "their own subscription's keys" },
  { method: 'POST', path: 'subscriptions/{subscription}/regeneratePrimaryKey', rule: ownSubscription, grants: "a new primary key for their own subscription" },
  { method: 'POST', path: 'subscriptions/{subscription}/regenerateSecondaryKey', rule: ownSubscription, grants: "a new secondary key for their own subscription" },
];

/** The route `method segments` takes, with its parameters, or undefined. HEAD reads as GET. */
export function matchUserRoute(method: string, segments: readonly string[], visitor = false): { route: UserRoute; params: Params } | undefined {
  const verb = method.toUpperCase() === 'HEAD' ? 'GET' : method.toUpperCase();
  for (const route of userRoutes) {
    if (route.method !== verb || (visitor && !route.visitor)) continue;
    const parts = route.path.split('/');
    if (parts.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const matches = parts.every((part, i) => {
      if (part.startsWith('{')) {
        params[part.slice(1, -1)] = segments[i]!;
        return true;
      }
      return part.toLowerCase() === segments[i]!.toLowerCase();
    });
    if (matches) return { route, params };
  }
  return undefined;
}

/**
 * The guard for one request of the user named `user` (`undefined`: the developer portal's
 * anonymous visitor); throws 403 AuthorizationFailed when no route allows it.
 */
export function userRequestGuard(user: string | undefined, method: string, segments: readonly string[]): RequestGuard {
  const matched = matchUserRoute(method, segments, user === undefined);
  if (!matched) throw authorizationFailed(user ?? '', `perform '${method.toUpperCase()}' on '/${segments.join('/')}'`);
  const { route, params } = matched;
  // Read once per transaction run (a write may run its transaction twice).
  let view: UserVisibility | undefined;
  const current = (): UserVisibility => {
    if (!view) throw new Error('the guard was used before admit');
    return view;
  };
  return {
    async admit(ctx) {
      view = await readUserVisibility(ctx.tx, user);
      await route.rule.admit(view, params, ctx);
    },
    shows: route.rule.shows ? (entity) => route.rule.shows!(entity, current()) : undefined,
    async writes(given, existing, ctx) {
      if (!route.rule.writes) throw authorizationFailed(user ?? '', `write '/${segments.join('/')}'`);
      return route.rule.writes(given, existing, current(), params, ctx);
    },
    answers: route.rule.hides || route.rule.keeps ? (body) => narrowed(body, route.rule) : undefined,
  };
}

/** `body` (a resource or a list of them) without the properties `rule` hides, or with only those it keeps. */
function narrowed(body: unknown, rule: Pick<Rule, 'hides' | 'keeps'>): unknown {
  const strip = (resource: unknown): unknown => {
    if (typeof resource !== 'object' || resource === null) return resource;
    const properties = (resource as { properties?: unknown }).properties;
    if (typeof properties !== 'object' || properties === null) return resource;
    const given = properties as Record<string, unknown>;
    const kept = rule.keeps ? Object.fromEntries(rule.keeps.filter((k) => k in given).map((k) => [k, given[k]])) : { ...given };
    for (const name of rule.hides ?? []) delete kept[name];
    return { ...resource, properties: kept };
  };
  const list = body as { value?: unknown };
  if (typeof body === 'object' && body !== null && Array.isArray(list.value)) return { ...body, value: list.value.map(strip) };
  return strip(body);
}
