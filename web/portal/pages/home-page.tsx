/**
 * The portal's first page: the APIs and products the visitor may see (the anonymous visitor sees
 * what the Guests group sees; a signed-in user what their groups see).
 */
import { PageHeading } from '../../shared/page-heading.js';
import { ProblemMessage } from '../../shared/problem-message.js';
import { useLoaded } from '../../shared/use-loaded.js';
import { Link } from '../link.js';
import { listAll, type PortalClient } from '../portal-client.js';
import type { Api, Product } from '../resources.js';

export function HomePage({ client }: { client: PortalClient }) {
  const apis = useLoaded(() => listAll<Api>(client, 'apis'), [client]);
  const products = useLoaded(() => listAll<Product>(client, 'products'), [client]);
  return (
    <main id="main">
      <PageHeading title="APIs and products" />
      <h2>APIs</h2>
      {apis.loading ? <p role="status">Loading…</p> : null}
      <ProblemMessage error={apis.error} />
      {apis.value && apis.value.length === 0 ? <p>No APIs are published to you yet.</p> : null}
      <ul class="cards" aria-label="APIs">
        {(apis.value ?? []).map((api) => (
          <li key={api.name}>
            <Link to={{ page: 'api', api: api.name }}>{api.properties.displayName}</Link>
            {api.properties.description ? <p>{api.properties.description}</p> : null}
          </li>
        ))}
      </ul>
      <h2>Products</h2>
      {products.loading ? <p role="status">Loading…</p> : null}
      <ProblemMessage error={products.error} />
      <ul class="cards" aria-label="Products">
        {(products.value ?? []).map((product) => (
          <li key={product.name}>
            <Link to={{ page: 'product', product: product.name }}>{product.properties.displayName}</Link>
            {product.properties.description ? <p>{product.properties.description}</p> : null}
          </li>
        ))}
      </ul>
    </main>
  );
}
