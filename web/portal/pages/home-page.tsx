/**
 * The portal's first page: the APIs and products the visitor may see (the anonymous visitor sees
 * what the Guests group sees; a signed-in user what their groups see).
 */
import { PageHeading } from '../../shared/page-heading.js';
import { useLoaded } from '../../shared/use-loaded.js';
import { apiRoute, CatalogueList, productRoute } from '../catalogue-list.js';
import { listAll, type PortalClient } from '../portal-client.js';
import type { Api, Product } from '../resources.js';

export function HomePage({ client }: { client: PortalClient }) {
  const apis = useLoaded(() => listAll<Api>(client, 'apis'), [client]);
  const products = useLoaded(() => listAll<Product>(client, 'products'), [client]);
  return (
    <main id="main">
      <PageHeading title="APIs and products" />
      <h2>APIs</h2>
      <CatalogueList label="APIs" loaded={apis} empty="No APIs are published to you yet." routeOf={apiRoute} />
      <h2>Products</h2>
      <CatalogueList label="Products" loaded={products} empty="No products are published to you yet." routeOf={productRoute} />
    </main>
  );
}
