/**
 * The console's pages as hash routes (`#/apis`, `#/apis/<name>/policy`, `#/policy`,
 * `#/network`, and the resource pages of resource-routes.ts): one server page, bookmarkable
 * views, and the back button works.
 */
import { isResourceRoute, parseResourceRoute, resourceRouteHash, type ResourceRoute } from './resource-routes.js';

export type Route =
  | { page: 'apis' }
  | { page: 'policy'; api?: string }
  | { page: 'network' }
  | ResourceRoute;

/** The route a location hash names; unknown hashes show the API list. */
export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter((p) => p !== '');
  if (parts[0] === 'policy' && parts.length === 1) return { page: 'policy' };
  if (parts[0] === 'network' && parts.length === 1) return { page: 'network' };
  const resource = parseResourceRoute(parts);
  if (resource) return resource;
  if (parts[0] === 'apis' && parts.length === 3 && parts[2] === 'policy') {
    try {
      return { page: 'policy', api: decodeURIComponent(parts[1]!) };
    } catch {
      return { page: 'apis' };
    }
  }
  return { page: 'apis' };
}

/** The hash of a route. */
export function routeHash(route: Route): string {
  if (isResourceRoute(route)) return resourceRouteHash(route);
  if (route.page === 'policy') return route.api === undefined ? '#/policy' : `#/apis/${encodeURIComponent(route.api)}/policy`;
  return `#/${route.page}`;
}
