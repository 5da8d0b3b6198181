/**
 * The signed-in user's subscriptions (`/subscriptions`, `GET users/{self}/subscriptions`): name,
 * product, state and creation date of each; an active one's keys (subscription-keys.tsx); and
 * cancelling one that is active or waiting for approval (`PATCH subscriptions/{sid}`, state
 * `cancelled`, the only change a user may make).
 */
import { PageHeading } from '../../shared/page-heading.js';
import { ProblemMessage } from '../../shared/problem-message.js';
import { useLoaded } from '../../shared/use-loaded.js';
import { productOfScope, type AccountSubscription } from '../account-resources.js';
import { ConfirmStep } from '../confirm-step.js';
import { Link } from '../link.js';
import { listAll, type PortalClient } from '../portal-client.js';
import type { Product } from '../resources.js';
import { SubscriptionKeys } from '../subscription-keys.js';
import { useAction } from '../use-action.js';
import '../account.css';

/** How each state reads on the page. */
const stateText: ReadonlyMap<string, string> = new Map(Object.entries({
  active: 'Active',
  submitted: 'Submitted: waiting for approval',
  suspended: 'Suspended by the administrator',
  cancelled: 'Cancelled',
  expired: 'Expired',
  rejected: 'Rejected',
}));

export function SubscriptionsPage({ client, userId }: { client: PortalClient; userId: string }) {
  const subscriptions = useLoaded(() => listAll<AccountSubscription>(client, `users/${encodeURIComponent(userId)}/subscriptions`), [client, userId]);
  // Product names for display; a product no longer shown to the user keeps its id.
  const products = useLoaded(() => listAll<Product>(client, 'products').catch(() => [] as Product[]), [client]);
  const productNames = new Map((products.value ?? []).map((p) => [p.name, p.properties.displayName]));
  // The list waits for the product names too, so a product's id never shows first and then changes.
  const listed = products.value === undefined ? undefined : subscriptions.value;
  return (
    <main id="main">
      <PageHeading title="Your subscriptions" />
      {!listed && !subscriptions.error ? <p role="status">Loading…</p> : null}
      <ProblemMessage error={subscriptions.error} />
      {listed && listed.length === 0 ? (
        <p>
          You have no subscriptions yet. Pick a product on the <Link to={{ page: 'home' }}>home page</Link> to subscribe.
        </p>
      ) : null}
      {(listed ?? []).map((subscription) => {
        const product = productOfScope(subscription.properties.scope);
        return (
          <SubscriptionCard
            key={subscription.name}
            client={client}
            subscription={subscription}
            productName={product ? (productNames.get(product) ?? product) : subscription.properties.scope}
            onChanged={subscriptions.reload}
          />
        );
      })}
    </main>
  );
}

function SubscriptionCard({ client, subscription, productName, onChanged }: { client: PortalClient; subscription: AccountSubscription; productName: string; onChanged: () => void }) {
  const { state, createdDate, displayName } = subscription.properties;
  const title = displayName || subscription.name;
  const cancel = useAction();
  const headingId = `subscription-${subscription.name}`;
  const onCancel = () =>
    cancel.run(async () => {
      await client.patch(`subscriptions/${encodeURIComponent(subscription.name)}`, { properties: { state: 'cancelled' } }, { 'If-Match': '*' });
      onChanged();
    });
  return (
    <section class="subscription" aria-labelledby={headingId}>
      <h2 id={headingId}>{title}</h2>
      <dl>
        <dt>Product</dt>
        <dd>{productName}</dd>
        <dt>State</dt>
        <dd>{stateText.get(state) ?? state}</dd>
        <dt>Created</dt>
        <dd>{createdDate ? <time dateTime={createdDate}>{createdDate.slice(0, 10)}</time> : 'unknown'}</dd>
      </dl>
      {state === 'active' ? <SubscriptionKeys client={client} subscriptionId={subscription.name} title={title} /> : null}
      {state === 'active' || state === 'submitted' ? (
        <ConfirmStep
          label={`Cancel the subscription ${title}`}
          question={`Cancel ${title}? Its keys stop working, and it cannot be made active again.`}
          confirmLabel="Cancel the subscription"
          disabled={cancel.busy}
          onConfirm={onCancel}
        />
      ) : null}
      <ProblemMessage error={cancel.error} />
    </section>
  );
}
