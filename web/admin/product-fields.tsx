/**
 * A product's editable properties as form fields, shared by the create form of the products page
 * and the edit form of a product's page (product-draft.ts holds the draft and its body).
 */
import { CheckboxField, SelectField, TextField } from './form-fields.js';
import type { ProductDraft } from './product-draft.js';

export function ProductFields({ prefix, draft, onDraft }: { prefix: string; draft: ProductDraft; onDraft: (draft: ProductDraft) => void }) {
  const set = <K extends keyof ProductDraft>(key: K) => (value: ProductDraft[K]) => onDraft({ ...draft, [key]: value });
  return (
    <>
      <TextField id={`${prefix}-display-name`} label="Display name" required value={draft.displayName} onValue={set('displayName')} />
      <TextField id={`${prefix}-description`} label="Description" multiline value={draft.description} onValue={set('description')} />
      <TextField id={`${prefix}-terms`} label="Terms of use" multiline value={draft.terms} onValue={set('terms')} />
      <SelectField
        id={`${prefix}-state`}
        label="State"
        value={draft.state}
        choices={[
          { value: 'notPublished', label: 'Not published' },
          { value: 'published', label: 'Published' },
        ]}
        onValue={set('state')}
      />
      <CheckboxField id={`${prefix}-subscription-required`} label="Subscription required" checked={draft.subscriptionRequired} onChecked={set('subscriptionRequired')} />
      <CheckboxField
        id={`${prefix}-approval-required`}
        label="Approval required"
        help="New subscriptions wait as submitted until an administrator approves them."
        disabled={!draft.subscriptionRequired}
        checked={draft.subscriptionRequired && draft.approvalRequired}
        onChecked={set('approvalRequired')}
      />
      <TextField
        id={`${prefix}-subscriptions-limit`}
        label="Subscriptions limit"
        help="How many subscriptions a user may hold to the product at the same time; empty for no limit."
        disabled={!draft.subscriptionRequired}
        value={draft.subscriptionsLimit}
        onValue={set('subscriptionsLimit')}
      />
    </>
  );
}
