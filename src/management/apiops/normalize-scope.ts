/**
 * Subscription scopes (reference §5.2 "Subscription"): `/apis`, `/apis/{id}`, `/products/{id}`,
 * or a full ARM id ending in one of those; a service id (or `/`) is the all-access scope `/`.
 */

export type SubscriptionScope = { kind: 'all' } | { kind: 'allApis' } | { kind: 'api'; name: string } | { kind: 'product'; name: string };

/** Parses a scope as written; undefined when it has none of the accepted forms. */
export function parseScope(scope: string): SubscriptionScope | undefined {
  let rest = scope.trim();
  const service = /\/providers\/Microsoft\.ApiManagement\/service\/[^/]+/i.exec(rest);
  if (service) rest = rest.slice(service.index + service[0].length);
  else if (/^\/?subscriptions\//i.test(rest)) return undefined;
  const parts = rest.split('/').filter((s) => s !== '');
  if (parts.length === 0) return { kind: 'all' };
  const [kind, name, ...extra] = parts;
  if (extra.length > 0) return undefined;
  if (kind!.toLowerCase() === 'apis') return name === undefined ? { kind: 'allApis' } : { kind: 'api', name: decodeURIComponent(name) };
  if (kind!.toLowerCase() === 'products' && name !== undefined) return { kind: 'product', name: decodeURIComponent(name) };
  return undefined;
}

/** The model's normalised form of a parsed scope. */
export function formatScope(scope: SubscriptionScope): string {
  switch (scope.kind) {
    case 'all':
      return '/';
    case 'allApis':
      return '/apis';
    case 'api':
      return `/apis/${scope.name}`;
    case 'product':
      return `/products/${scope.name}`;
  }
}
