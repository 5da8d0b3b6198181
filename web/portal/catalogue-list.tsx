/**
 * A list of APIs or products as cards: each one's display name, linked to its page, and its
 * description; with the loading state, the server's refusal, or a sentence when there is none.
 */
import { ProblemMessage } from '../shared/problem-message.js';
import type { Loaded } from '../shared/use-loaded.js';
import { Link } from './link.js';
import type { Resource } from './resources.js';
import type { Route } from './route.js';

type Listed = Resource<{ displayName: string; description?: string }>;

export function CatalogueList<T extends Listed>({ label, loaded, empty, routeOf }: { label: string; loaded: Loaded<T[]>; empty: string; routeOf: (item: T) => Route }) {
  return (
    <>
      {loaded.loading ? <p role="status">Loading…</p> : null}
      <ProblemMessage error={loaded.error} />
      {loaded.value && loaded.value.length === 0 ? <p>{empty}</p> : null}
      {loaded.value && loaded.value.length > 0 ? (
        <ul class="cards" aria-label={label}>
          {loaded.value.map((item) => (
            <li key={item.name}>
              <Link to={routeOf(item)}>{item.properties.displayName}</Link>
              {item.properties.description ? <p>{item.properties.description}</p> : null}
            </li>
          ))}
        </ul>
      ) : null}
    </>
  );
}

export const apiRoute = (api: Resource<unknown>): Route => ({ page: 'api', api: api.name });
export const productRoute = (product: Resource<unknown>): Route => ({ page: 'product', product: product.name });
