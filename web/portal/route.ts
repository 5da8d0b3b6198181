/**
 * The portal's views as paths (`/apis/echo-api`, `/products/starter`, `/signin`), so the links in
 * mails (`/confirm?userId=…&ticket=…`) and bookmarks open the right view; the server answers the
 * page for every such path.
 */

export type Route =
  | { page: 'home' }
  | { page: 'apis' }
  | { page: 'api'; api: string }
  | { page: 'products' }
  | { page: 'product'; product: string }
  | { page: 'signin' }
  | { page: AccountPage }
  | { page: 'not-found' };

/** The account's pages (sign-up, the mailed links' pages, profile, subscriptions): one segment each; the mailed ones read their query. */
const accountPages = ['signup', 'confirm', 'reset-password', 'profile', 'subscriptions'] as const;
export type AccountPage = (typeof accountPages)[number];
const isAccountPage = (segment: string): segment is AccountPage => (accountPages as readonly string[]).includes(segment);

/** The route a path names. */
export function parseRoute(pathname: string): Route {
  const parts = pathname.split('/').filter((p) => p !== '');
  let decoded: string[];
  try {
    decoded = parts.map(decodeURIComponent);
  } catch {
    return { page: 'not-found' };
  }
  const [first, second] = decoded;
  if (decoded.length === 0) return { page: 'home' };
  if (first === 'apis' && decoded.length === 1) return { page: 'apis' };
  if (first === 'apis' && decoded.length === 2) return { page: 'api', api: second! };
  if (first === 'products' && decoded.length === 1) return { page: 'products' };
  if (first === 'products' && decoded.length === 2) return { page: 'product', product: second! };
  if (first === 'signin' && decoded.length === 1) return { page: 'signin' };
  if (decoded.length === 1 && isAccountPage(first!)) return { page: first };
  return { page: 'not-found' };
}

/** The path of a route. */
export function routePath(route: Route): string {
  switch (route.page) {
    case 'api':
      return `/apis/${encodeURIComponent(route.api)}`;
    case 'product':
      return `/products/${encodeURIComponent(route.product)}`;
    case 'home':
    case 'not-found':
      return '/';
    default:
      return `/${route.page}`;
  }
}

/** Goes to a route without loading the page again. */
export function navigate(route: Route | string): void {
  history.pushState(null, '', typeof route === 'string' ? route : routePath(route));
  dispatchEvent(new PopStateEvent('popstate'));
}
