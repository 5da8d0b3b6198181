/**
 * The console's pages as hash routes (`#/dashboard`, `#/apis`, `#/apis/<name>`,
 * `#/apis/<name>/policy`, `#/apis/<name>/operations/<operation>/policy`, `#/policy`,
 * `#/version-sets`, `#/backends`, `#/network`, and the resource pages of resource-routes.ts):
 * one server page, bookmarkable views, and the back button works.
 */
import { isResourceRoute, parseResourceRoute, resourceRouteHash, type ResourceRoute } from './resource-routes.js';

export type Route =
  | { page: 'dashboard' }
  | { page: 'apis' }
  | { page: 'api'; api: string }
  | { page: 'policy'; api?: string; operation?: string }
  | { page: 'version-sets' }
  | { page: 'backends' }
  | { page: 'network' }
  | ResourceRoute;

/** Pages whose hash is their name alone. */
const plainPages = ['dashboard', 'apis', 'policy', 'version-sets', 'backends', 'network'] as const;

/** The route a location hash names; unknown hashes show the dashboard, the console's first page. */
export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter((p) => p !== '');
  const plain = plainPages.find((p) => p === parts[0]);
  if (plain && parts.length === 1) return { page: plain };
  const resource = parseResourceRoute(parts);
  if (resource) return resource;
  if (parts[0] !== 'apis' || parts.length < 2) return { page: 'dashboard' };
  let names: string[];
  try {
    names = parts.map((p) => decodeURIComponent(p));
  } catch {
    return { page: 'apis' };
  }
  const api = names[1]!;
  if (parts.length === 2) return { page: 'api', api };
  if (parts.length === 3 && parts[2] === 'policy') return { page: 'policy', api };
  if (parts.length === 5 && parts[2] === 'operations' && parts[4] === 'policy') return { page: 'policy', api, operation: names[3]! };
  return { page: 'apis' };
}

/** The hash of a route. */
export function routeHash(route: Route): string {
  if (isResourceRoute(route)) return resourceRouteHash(route);
  if (route.page === 'api') return `#/apis/${encodeURIComponent(route.api)}`;
  if (route.page === 'policy') {
    if (route.api === undefined) return '#/policy';
    const api = `#/apis/${encodeURIComponent(route.api)}`;
    return route.operation === undefined ? `${api}/policy` : `${api}/operations/${encodeURIComponent(route.operation)}/policy`;
  }
  return `#/${route.page}`;
}
