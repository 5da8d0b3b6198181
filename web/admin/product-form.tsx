/**
 * A product's editable properties (Azure's ProductContractProperties) as form fields, shared by
 * the create form of the products page and the edit form of a product's page, and the body they
 * make. Approval and the subscriptions limit apply only to a product that requires
 * subscriptions (the server refuses them otherwise), so they are sent only then.
 */
import { CheckboxField, SelectField, TextField } from './form-fields.js';

export interface ProductProperties {
  displayName?: string;
  description?: string;
  terms?: string;
  subscriptionRequired?: boolean;
  approvalRequired?: boolean;
  subscriptionsLimit?: number | null;
  state?: string;
}

export interface ProductResource {
  name: string;
  properties: ProductProperties;
}

export interface ProductDraft {
  displayName: string;
  description: string;
  terms: string;
  subscriptionRequired: boolean;
  approvalRequired: boolean;
  subscriptionsLimit: string;
  state: string;
}

export const newProductDraft: ProductDraft = {
  displayName: '',
  description: '',
  terms: '',
  subscriptionRequired: true,
  approvalRequired: false,
  subscriptionsLimit: '',
  state: 'notPublished',
};

/** The draft of a stored product. */
export function productDraft(p: ProductProperties): ProductDraft {
  return {
    displayName: p.displayName ?? '',
    description: p.description ?? '',
    terms: p.terms ?? '',
    subscriptionRequired: p.subscriptionRequired ?? true,
    approvalRequired: p.approvalRequired ?? false,
    subscriptionsLimit: p.subscriptionsLimit === undefined || p.subscriptionsLimit === null ? '' : String(p.subscriptionsLimit),
    state: p.state ?? 'notPublished',
  };
}

/** The PUT body of a draft. A limit that is not a number is sent as typed, for the server to name. */
export function productBody(d: ProductDraft): { properties: Record<string, unknown> } {
  const properties: Record<string, unknown> = { displayName: d.displayName, subscriptionRequired: d.subscriptionRequired, state: d.state };
  if (d.description !== '') properties.description = d.description;
  if (d.terms !== '') properties.terms = d.terms;
  if (d.subscriptionRequired) {
    properties.approvalRequired = d.approvalRequired;
    const limit = d.subscriptionsLimit.trim();
    if (limit !== '') properties.subscriptionsLimit = /^\d+$/.test(limit) ? Number(limit) : limit;
  }
  return { properties };
}

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
