/**
 * The named values page: every named value with its display name, tags and whether it is a
 * secret. A secret's value is never in the page: it shows ••••••, and "Show" reads it with
 * `listValue` when asked. Create (PUT), edit (its own page) and delete after a confirmation.
 */
import { useState } from 'preact/hooks';
import { ConfirmButton } from '../confirm-button.js';
import { FormSection, TextField } from '../form-fields.js';
import { listAll, type ManagementClient } from '../management-client.js';
import { namedValueBody, newNamedValueDraft, type NamedValueResource } from '../named-value-draft.js';
import { NamedValueFields } from '../named-value-fields.js';
import { ResourcePageFrame } from '../resource-page-frame.js';
import { ResourceTable } from '../resource-table.js';
import { routeHash } from '../route.js';
import { SecretValue } from '../secret-value.js';
import { useAction } from '../use-action.js';
import { useLoaded } from '../use-loaded.js';
import { yesNo } from '../yes-no.js';

export function NamedValuesPage({ client }: { client: ManagementClient }) {
  const namedValues = useLoaded(() => listAll<NamedValueResource>(client, '/namedValues'), [client]);
  const action = useAction(namedValues.reload);
  const [name, setName] = useState('');
  const [draft, setDraft] = useState(newNamedValueDraft);
  const at = (id: string) => `/namedValues/${encodeURIComponent(id)}`;

  const create = async () => {
    const created = await action.run(() => client.put(at(name), namedValueBody(draft, false), { 'if-none-match': '*' }), `Named value ${name} created.`);
    if (created) {
      setName('');
      setDraft(newNamedValueDraft);
    }
  };
  const remove = (nv: NamedValueResource) => action.run(() => client.delete(at(nv.name)), `Named value ${nv.name} deleted.`);

  return (
    <ResourcePageFrame title="Named values" action={action} problemId="named-values-problem" loaded={namedValues} what="the named values">
      <ResourceTable
        items={namedValues.value}
        noun="named value"
        empty="There are no named values yet."
        headings={['Display name', 'Value', 'Secret', 'Tags', 'Actions']}
        row={(nv) => {
          const p = nv.properties;
          const title = p.displayName ?? nv.name;
          return (
            <tr key={nv.name} data-named-value={nv.name}>
              <th scope="row">
                {title}
                {title !== nv.name ? <span class="secondary"> ({nv.name})</span> : null}
              </th>
              <td>
                {p.secret ? <SecretValue name={`value of ${title}`} read={async () => (await client.post<{ value: string }>(`${at(nv.name)}/listValue`)).value} /> : <code>{p.value ?? ''}</code>}
                {p.keyVault?.secretIdentifier ? (
                  <p class="secondary">
                    From <code>{p.keyVault.secretIdentifier}</code>
                    {p.keyVault.lastStatus?.code ? `, last read: ${p.keyVault.lastStatus.code}` : ''}
                  </p>
                ) : null}
              </td>
              <td>{yesNo(p.secret ?? false)}</td>
              <td>{(p.tags ?? []).join(', ')}</td>
              <td>
                <div class="actions">
                  <a href={routeHash({ page: 'named-values', name: nv.name })}>
                    Edit<span class="visually-hidden"> {title}</span>
                  </a>
                  <ConfirmButton label="Delete" name={`Delete ${title}`} question={`Delete the named value ${title}?`} confirmLabel="Delete" disabled={action.busy} onConfirm={() => remove(nv)} />
                </div>
              </td>
            </tr>
          );
        }}
      />
      <FormSection id="create-named-value" title="Create a named value" submitLabel="Create named value" busy={action.busy} onSubmit={create}>
        <TextField id="new-named-value-name" label="Name" help="The named value's id in its ARM path." required value={name} onValue={setName} />
        <NamedValueFields prefix="new-named-value" draft={draft} editing={false} onDraft={setDraft} />
      </FormSection>
    </ResourcePageFrame>
  );
}
