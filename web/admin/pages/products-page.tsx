/**
 * The products page: every product with its state, whether it requires a subscription and
 * approval, and its subscriptions limit, each linked to its own page; and the form that creates
 * one (PUT /products/{name}).
 */
import { useState } from 'preact/hooks';
import { ActionStatus } from '../action-status.js';
import { ColumnHeadings } from '../column-headings.js';
import { FormSection, TextField } from '../form-fields.js';
import { listAll, type ManagementClient } from '../management-client.js';
import { PageHeading } from '../page-heading.js';
import { ProblemMessage } from '../problem-message.js';
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
    <main id="main">
      <PageHeading title="Products" />
      <ActionStatus action={action} id="products-problem" />
      {products.loading && !products.value ? <p role="status">Loading the products…</p> : null}
      <ProblemMessage error={products.error} />
      {products.value && products.value.length === 0 ? <p>There are no products yet.</p> : null}
      {products.value && products.value.length > 0 ? (
        <table>
          <caption>
            {products.value.length} product{products.value.length === 1 ? '' : 's'}
          </caption>
          <ColumnHeadings names={['Name', 'State', 'Subscription required', 'Approval required', 'Subscriptions limit']} />
          <tbody>
            {products.value.map((product) => {
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
            })}
          </tbody>
        </table>
      ) : null}
      <FormSection id="create-product" title="Create a product" submitLabel="Create product" busy={action.busy} onSubmit={create}>
        <TextField id="new-product-name" label="Name" help="The product's id in its ARM path: letters, digits and dashes." required value={name} onValue={setName} />
        <ProductFields prefix="new-product" draft={draft} onDraft={setDraft} />
      </FormSection>
    </main>
  );
}
