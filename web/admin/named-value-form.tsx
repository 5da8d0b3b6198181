/**
 * A named value's properties as form fields, shared by the create form and the edit page, and
 * the body they make. The value of a secret is never filled in: the field starts empty, typing
 * is masked, and an empty field on an edit keeps the stored value (a PATCH without `value`). A
 * Key Vault reference replaces the value (the server reads the secret and refuses both at once).
 */
import { CheckboxField, SelectField, TextField } from './form-fields.js';

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

export function NamedValueFields({ prefix, draft, editing, onDraft }: { prefix: string; draft: NamedValueDraft; editing: boolean; onDraft: (draft: NamedValueDraft) => void }) {
  const set = <K extends keyof NamedValueDraft>(key: K) => (value: NamedValueDraft[K]) => onDraft({ ...draft, [key]: value });
  return (
    <>
      <TextField id={`${prefix}-display-name`} label="Display name" help="Policies use it as {{display name}}." required value={draft.displayName} onValue={set('displayName')} />
      <SelectField
        id={`${prefix}-source`}
        label="Value from"
        value={draft.source}
        choices={[
          { value: 'value', label: 'A value typed here' },
          { value: 'keyVault', label: 'A Key Vault, env: or file: reference' },
        ]}
        onValue={(source) => onDraft({ ...draft, source: source === 'keyVault' ? 'keyVault' : 'value' })}
      />
      {draft.source === 'value' ? (
        <>
          <CheckboxField id={`${prefix}-secret`} label="Secret" help="A secret is sealed at rest and never shown until asked." checked={draft.secret} onChecked={set('secret')} />
          <TextField
            id={`${prefix}-value`}
            label="Value"
            type={draft.secret ? 'password' : 'text'}
            autocomplete="new-password"
            required={!editing || !draft.secret}
            help={editing && draft.secret ? 'Leave empty to keep the stored secret.' : undefined}
            value={draft.value}
            onValue={set('value')}
          />
        </>
      ) : (
        <>
          <TextField
            id={`${prefix}-secret-identifier`}
            label="Secret identifier"
            help="https://<vault>.vault.azure.net/secrets/<name>, env:NAME or file:/path, as allowed by the start options (docs/named-values.md)."
            required
            value={draft.secretIdentifier}
            onValue={set('secretIdentifier')}
          />
          <TextField id={`${prefix}-identity-client-id`} label="Identity client id (optional)" help="A user-assigned managed identity for Azure Key Vault." value={draft.identityClientId} onValue={set('identityClientId')} />
        </>
      )}
      <TextField id={`${prefix}-tags`} label="Tags" help="Separated by commas." value={draft.tags} onValue={set('tags')} />
    </>
  );
}
