/**
 * A product: its description and terms, whether subscriptions wait for approval, its APIs
 * (linked to their reference), and the form to subscribe.
 */
import { PageHeading } from '../../shared/page-heading.js';
import { Loading, NotShown } from '../page-states.js';
import { useLoaded } from '../../shared/use-loaded.js';
import { apiRoute, CatalogueList } from '../catalogue-list.js';
import { listAll, type PortalClient } from '../portal-client.js';
import type { PortalSession } from '../portal-session.js';
import type { Api, Product } from '../resources.js';
import { SubscribeForm } from '../subscribe-form.js';

export function ProductPage({ productId, client, signedIn }: { productId: string; client: PortalClient; signedIn?: PortalSession }) {
  const product = useLoaded(() => client.find<Product>(`products/${encodeURIComponent(productId)}`), [client, productId]);
  const apis = useLoaded(() => listAll<Api>(client, `products/${encodeURIComponent(productId)}/apis`), [client, productId]);
  if (product.loading) return <Loading />;
  if (product.error || !product.value) return <NotShown kind="product" name={productId} error={product.error} signedIn={signedIn !== undefined} />;
  const { properties } = product.value;
  return (
    <main id="main">
      <PageHeading title={properties.displayName} />
      {properties.description ? <p>{properties.description}</p> : null}
      <h2>Terms</h2>
      <p>{properties.terms || 'This product states no terms of use.'}</p>
      <ul>
        <li>{properties.approvalRequired ? 'Subscriptions wait for an administrator’s approval.' : 'Subscriptions are active at once.'}</li>
        {properties.subscriptionsLimit !== undefined && properties.subscriptionsLimit !== null ? <li>A developer may hold at most {properties.subscriptionsLimit} subscription{properties.subscriptionsLimit === 1 ? '' : 's'} to it.</li> : null}
        {properties.subscriptionRequired === false ? <li>Its APIs are called without a subscription key.</li> : null}
      </ul>
      <h2>APIs</h2>
      <CatalogueList label={`APIs of ${properties.displayName}`} loaded={apis} empty="This product has no APIs yet." routeOf={apiRoute} />
      {properties.subscriptionRequired === false ? null : (
        <>
          <h2>Subscribe</h2>
          <SubscribeForm product={product.value} client={client} signedIn={signedIn} />
        </>
      )}
    </main>
  );
}
