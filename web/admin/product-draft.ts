/**
 * A product's editable properties (Azure's ProductContractProperties) as the console's forms
 * hold them, and the PUT body they make. Approval and the subscriptions limit apply only to a
 * product that requires subscriptions (the server refuses them otherwise), so they are sent only
 * then.
 */
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
