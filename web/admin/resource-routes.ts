/**
 * The hash routes of the resource pages: products, subscriptions, users, groups and named
 * values, each a list (`#/products`) and, where a resource has more than a row can show, one
 * resource (`#/products/<name>`). route.ts folds these into the console's routes.
 */

export type ResourcePage = 'products' | 'subscriptions' | 'users' | 'groups' | 'named-values';

export type ResourceRoute = { page: ResourcePage; name?: string };

/** Which pages have a page per resource. */
const withItemPage: Record<ResourcePage, boolean> = { products: true, subscriptions: false, users: true, groups: true, 'named-values': true };

function isResourcePage(page: string | undefined): page is ResourcePage {
  return page !== undefined && Object.prototype.hasOwnProperty.call(withItemPage, page);
}

/** The route hash segments name, or undefined when they are not a resource page. */
export function parseResourceRoute(parts: string[]): ResourceRoute | undefined {
  const page = parts[0];
  if (!isResourcePage(page)) return undefined;
  if (parts.length === 1) return { page };
  if (parts.length === 2 && withItemPage[page]) {
    try {
      return { page, name: decodeURIComponent(parts[1]!) };
    } catch {
      return { page };
    }
  }
  return { page };
}

/** Whether a route is one of these. */
export function isResourceRoute(route: { page: string }): route is ResourceRoute {
  return isResourcePage(route.page);
}

/** The hash of a resource route. */
export function resourceRouteHash(route: ResourceRoute): string {
  return route.name === undefined ? `#/${route.page}` : `#/${route.page}/${encodeURIComponent(route.name)}`;
}

/** The navigation entries of the resource pages. */
export const resourceNavigation: Array<{ label: string; route: ResourceRoute }> = [
  { label: 'Products', route: { page: 'products' } },
  { label: 'Subscriptions', route: { page: 'subscriptions' } },
  { label: 'Users', route: { page: 'users' } },
  { label: 'Groups', route: { page: 'groups' } },
  { label: 'Named values', route: { page: 'named-values' } },
];
