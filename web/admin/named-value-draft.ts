/**
 * A named value as the console's forms hold it, and the body it makes. The value of a secret is
 * never in a draft of a stored named value: an edit's empty value keeps the stored one (a PATCH
 * without `value`). A Key Vault reference replaces the value (the server reads the secret, and
 * refuses both at once) and is always secret.
 */
export interface NamedValueResource {
  name: string;
  properties: {
    displayName?: string;
    value?: string;
    secret?: boolean;
    tags?: string[];
    keyVault?: { secretIdentifier?: string; identityClientId?: string; lastStatus?: { code?: string; message?: string } };
  };
}

export interface NamedValueDraft {
  displayName: string;
  source: 'value' | 'keyVault';
  value: string;
  secret: boolean;
  tags: string;
  secretIdentifier: string;
  identityClientId: string;
}

export const newNamedValueDraft: NamedValueDraft = { displayName: '', source: 'value', value: '', secret: false, tags: '', secretIdentifier: '', identityClientId: '' };

/** The draft of a stored named value; a secret's value stays out. */
export function namedValueDraft(nv: NamedValueResource): NamedValueDraft {
  const p = nv.properties;
  return {
    displayName: p.displayName ?? nv.name,
    source: p.keyVault ? 'keyVault' : 'value',
    value: p.secret ? '' : (p.value ?? ''),
    secret: p.secret ?? false,
    tags: (p.tags ?? []).join(', '),
    secretIdentifier: p.keyVault?.secretIdentifier ?? '',
    identityClientId: p.keyVault?.identityClientId ?? '',
  };
}

/** The body of a PUT (creating) or a PATCH (editing, where an empty value keeps the stored one). */
export function namedValueBody(d: NamedValueDraft, editing: boolean): { properties: Record<string, unknown> } {
  const tags = d.tags.split(',').map((t) => t.trim()).filter((t) => t !== '');
  const properties: Record<string, unknown> = { displayName: d.displayName, tags };
  if (d.source === 'keyVault') {
    properties.keyVault = { secretIdentifier: d.secretIdentifier, ...(d.identityClientId ? { identityClientId: d.identityClientId } : {}) };
    properties.secret = true;
  } else {
    properties.secret = d.secret;
    if (!editing || d.value !== '') properties.value = d.value;
  }
  return { properties };
}
