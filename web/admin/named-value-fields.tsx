/**
 * A named value's properties as form fields, shared by the create form and the edit page
 * (named-value-draft.ts holds the draft and its body). A secret's value field starts empty and
 * masks what is typed.
 */
import { CheckboxField, SelectField, TextField } from './form-fields.js';
import type { NamedValueDraft } from './named-value-draft.js';

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
