/**
 * Subscribing to a product: the signed-in user names the subscription and gets one
 * (`PUT subscriptions/{new GUID}` with the product's scope). The answer's state says whether it
 * is active at once or waits for an administrator; a refusal (the product's limit: 409) is shown
 * as the server said it. Visitors who are not signed in are sent to sign in.
 */
import { useState } from 'preact/hooks';
import { ProblemMessage } from '../shared/problem-message.js';
import { useSubmit } from '../shared/use-submit.js';
import type { Subscription } from './catalogue-resources.js';
import { Link } from './link.js';
import { newGuid } from './new-guid.js';
import type { PortalClient } from './portal-client.js';
import type { PortalSession } from './portal-session.js';
import type { Product } from './resources.js';

export function SubscribeForm({ product, client, signedIn }: { product: Product; client: PortalClient; signedIn?: PortalSession }) {
  const [name, setName] = useState('');
  const [created, setCreated] = useState<Subscription | undefined>(undefined);
  const { busy, error, onSubmit } = useSubmit(async () => {
    setCreated(undefined);
    const subscription = await client.put<Subscription>(`subscriptions/${newGuid()}`, {
      properties: { scope: `/products/${product.name}`, displayName: name.trim() },
    });
    setCreated(subscription);
    setName('');
  });
  if (!signedIn) {
    return (
      <p>
        <Link to={{ page: 'signin' }}>Sign in to subscribe</Link>
      </p>
    );
  }
  return (
    <>
      <form onSubmit={onSubmit} class="subscribe">
        <label for="subscription-name">Subscription name</label>
        <input
          id="subscription-name"
          name="subscription-name"
          required
          maxLength={100}
          value={name}
          onInput={(e) => setName((e.currentTarget as HTMLInputElement).value)}
          aria-describedby={error ? 'subscribe-problem' : undefined}
        />
        <button type="submit" disabled={busy || name.trim() === ''}>
          {busy ? 'Subscribing…' : 'Subscribe'}
        </button>
      </form>
      <ProblemMessage error={error} id="subscribe-problem" />
      {created ? <SubscriptionOutcome subscription={created} /> : null}
    </>
  );
}

function SubscriptionOutcome({ subscription }: { subscription: Subscription }) {
  const label = subscription.properties.displayName || subscription.name;
  if (subscription.properties.state === 'active') {
    return (
      <p role="status" class="outcome">
        Your subscription “{label}” is active. Its keys are offered in the try-it console of each of the product’s APIs above.
      </p>
    );
  }
  if (subscription.properties.state === 'submitted') {
    return (
      <p role="status" class="outcome">
        Your subscription “{label}” is submitted, waiting for approval. An administrator approves it; its keys work from then on.
      </p>
    );
  }
  return (
    <p role="status" class="outcome">
      Your subscription “{label}” is {subscription.properties.state}.
    </p>
  );
}
