/**
 * The products page: every product with its state, whether it requires a subscription and
 * approval, and its subscriptions limit, each linked to its own page; and the form that creates
 * one (PUT /products/{name}).
 */
import { useState } from 'preact/hooks';
import { FormSection, TextField } from '../form-fields.js';
import { listAll, type ManagementClient } from '../management-client.js';
import { ResourcePageFrame } from '../resource-page-frame.js';
import { ResourceTable } from '../resource-table.js';
import { newProductDraft, productBody, type ProductResource } from '../product-draft.js';
import { ProductFields } from '../product-fields.js';
import { routeHash } from '../route.js';
import { useAction } from '../use-action.js';
import { useLoaded } from '../use-loaded.js';
import { yesNo } from '../yes-no.js';

export function ProductsPage({ client }: { client: ManagementClient }) {
  const products = useLoaded(() => listAll<ProductResource>(client, '/products'), [client]);
  const action = useAction(products.reload);
  const [name, setName] = useState('');
  const [draft, setDraft] = useState(newProductDraft);

  const create = async () => {
    const created = await action.run(() => client.put(`/products/${encodeURIComponent(name)}`, productBody(draft), { 'if-none-match': '*' }), `Product ${name} created.`);
    if (created) {
      setName('');
      setDraft(newProductDraft);
    }
  };

  return (
    <ResourcePageFrame title="Products" action={action} problemId="products-problem" loaded={products} what="the products">
      <ResourceTable
        items={products.value}
        noun="product"
        empty="There are no products yet."
        headings={['Name', 'State', 'Subscription required', 'Approval required', 'Subscriptions limit']}
        row={(product) => {
          const p = product.properties;
          return (
            <tr key={product.name} data-product={product.name}>
              <th scope="row">
                <a href={routeHash({ page: 'products', name: product.name })}>{p.displayName ?? product.name}</a>
                {p.displayName && p.displayName !== product.name ? <span class="secondary"> ({product.name})</span> : null}
              </th>
              <td>{p.state === 'published' ? 'Published' : 'Not published'}</td>
              <td>{yesNo(p.subscriptionRequired ?? true)}</td>
              <td>{yesNo(p.approvalRequired ?? false)}</td>
              <td>{p.subscriptionsLimit ?? 'none'}</td>
            </tr>
          );
        }}
      />
      <FormSection id="create-product" title="Create a product" submitLabel="Create product" busy={action.busy} onSubmit={create}>
        <TextField id="new-product-name" label="Name" help="The product's id in its ARM path: letters, digits and dashes." required value={name} onValue={setName} />
        <ProductFields prefix="new-product" draft={draft} onDraft={setDraft} />
      </FormSection>
    </ResourcePageFrame>
  );
}
