/**
 * One product's page: edit its properties (PUT of the whole product), link and unlink its APIs
 * (`/products/{p}/apis/{a}`), the groups it is visible to (`/products/{p}/groups/{g}`), and
 * delete it, with Azure's `deleteSubscriptions` choice, after a confirmation.
 */
import { useEffect, useState } from 'preact/hooks';
import { DeleteWithSubscriptions } from '../delete-with-subscriptions.js';
import { FormSection } from '../form-fields.js';
import { LinkedResources, type Linkable } from '../linked-resources.js';
import { listAll, type ManagementClient } from '../management-client.js';
import { ResourcePageFrame } from '../resource-page-frame.js';
import { productBody, productDraft, type ProductDraft, type ProductResource } from '../product-draft.js';
import { ProductFields } from '../product-fields.js';
import { routeHash } from '../route.js';
import { useAction } from '../use-action.js';
import { useLoaded } from '../use-loaded.js';

interface Named {
  name: string;
  properties: { displayName?: string };
}

const linkable = (items: Named[]): Linkable[] => items.map((i) => ({ name: i.name, label: i.properties.displayName ?? i.name }));

export function ProductPage({ client, name }: { client: ManagementClient; name: string }) {
  const base = `/products/${encodeURIComponent(name)}`;
  const loaded = useLoaded(async () => {
    const [product, apis, groups, allApis, allGroups] = await Promise.all([
      client.get<ProductResource>(base),
      listAll<Named>(client, `${base}/apis`),
      listAll<Named>(client, `${base}/groups`),
      listAll<Named & { properties: { isCurrent?: boolean } }>(client, '/apis'),
      listAll<Named>(client, '/groups'),
    ]);
    return { product, apis, groups, allApis: allApis.filter((a) => a.properties.isCurrent !== false), allGroups };
  }, [client, base]);
  const action = useAction(loaded.reload);
  const [draft, setDraft] = useState<ProductDraft | undefined>(undefined);
  useEffect(() => {
    if (loaded.value && draft === undefined) setDraft(productDraft(loaded.value.product.properties));
  }, [loaded.value]);

  const title = `Product ${loaded.value?.product.properties.displayName ?? name}`;
  const save = () => draft && action.run(() => client.put(base, productBody(draft)), 'Product saved.');
  const remove = async (deleteSubscriptions: boolean) => {
    const deleted = await action.run(() => client.delete(`${base}${deleteSubscriptions ? '?deleteSubscriptions=true' : ''}`), `Product ${name} deleted.`);
    if (deleted) location.hash = routeHash({ page: 'products' });
  };

  return (
    <ResourcePageFrame title={title} back={{ label: 'All products', route: { page: 'products' } }} action={action} problemId="product-problem" loaded={loaded} what="the product">
      {loaded.value && draft ? (
        <>
          <FormSection id="edit-product" title="Properties" submitLabel="Save product" busy={action.busy} onSubmit={save}>
            <ProductFields prefix="product" draft={draft} onDraft={setDraft} />
          </FormSection>
          <LinkedResources
            id="product-apis"
            title="APIs"
            noun="API"
            owner="the product"
            collection={`${base}/apis`}
            linked={linkable(loaded.value.apis)}
            candidates={linkable(loaded.value.allApis)}
            empty="The product has no APIs yet."
            client={client}
            action={action}
          />
          <LinkedResources
            id="product-groups"
            title="Visible to groups"
            noun="group"
            owner="the product"
            collection={`${base}/groups`}
            linked={linkable(loaded.value.groups)}
            candidates={linkable(loaded.value.allGroups)}
            empty="No group sees the product: only administrators do."
            client={client}
            action={action}
          />
          <DeleteWithSubscriptions noun="product" name={name} busy={action.busy} onDelete={remove} />
        </>
      ) : null}
    </ResourcePageFrame>
  );
}
