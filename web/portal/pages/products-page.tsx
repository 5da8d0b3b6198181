/** The products the visitor may see; a product's page tells its terms and takes subscriptions. */
import { PageHeading } from '../../shared/page-heading.js';
import { useLoaded } from '../../shared/use-loaded.js';
import { CatalogueList, productRoute } from '../catalogue-list.js';
import { listAll, type PortalClient } from '../portal-client.js';
import type { Product } from '../resources.js';

export function ProductsPage({ client }: { client: PortalClient }) {
  const products = useLoaded(() => listAll<Product>(client, 'products'), [client]);
  return (
    <main id="main">
      <PageHeading title="Products" />
      <p>A product is a set of APIs with its terms. Subscribe to one to get the keys that call its APIs.</p>
      <CatalogueList label="Products" loaded={products} empty="No products are published to you yet. Signed-in developers may see more." routeOf={productRoute} />
    </main>
  );
}
