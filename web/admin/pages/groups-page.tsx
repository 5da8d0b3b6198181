/**
 * The groups page: the built-in groups (Administrators, Developers, Guests) and the custom ones,
 * each linked to its members; the form that creates a custom group, and deleting a custom one
 * after a confirmation. Built-in groups cannot be deleted (the server refuses it too).
 */
import { useState } from 'preact/hooks';
import { ConfirmButton } from '../confirm-button.js';
import { FormSection, TextField } from '../form-fields.js';
import type { GroupResource } from '../group-resource.js';
import { listAll, type ManagementClient } from '../management-client.js';
import { ResourcePageFrame } from '../resource-page-frame.js';
import { ResourceTable } from '../resource-table.js';
import { routeHash } from '../route.js';
import { useAction } from '../use-action.js';
import { useLoaded } from '../use-loaded.js';

const emptyDraft = { name: '', displayName: '', description: '' };

export function GroupsPage({ client }: { client: ManagementClient }) {
  const groups = useLoaded(() => listAll<GroupResource>(client, '/groups'), [client]);
  const action = useAction(groups.reload);
  const [draft, setDraft] = useState(emptyDraft);
  const set = (key: keyof typeof emptyDraft) => (value: string) => setDraft({ ...draft, [key]: value });

  const create = async () => {
    const properties = { displayName: draft.displayName, ...(draft.description ? { description: draft.description } : {}) };
    const created = await action.run(() => client.put(`/groups/${encodeURIComponent(draft.name)}`, { properties }, { 'if-none-match': '*' }), `Group ${draft.name} created.`);
    if (created) setDraft(emptyDraft);
  };
  const remove = (group: GroupResource) => action.run(() => client.delete(`/groups/${encodeURIComponent(group.name)}`), `Group ${group.name} deleted.`);

  return (
    <ResourcePageFrame title="Groups" action={action} problemId="groups-problem" loaded={groups} what="the groups">
      <ResourceTable
        items={groups.value}
        noun="group"
        empty="There are no groups."
        headings={['Name', 'Kind', 'Description', 'Actions']}
        row={(group) => {
          const p = group.properties;
          const title = p.displayName ?? group.name;
          return (
            <tr key={group.name} data-group={group.name}>
              <th scope="row">
                <a href={routeHash({ page: 'groups', name: group.name })}>{title}</a>
              </th>
              <td>{p.builtIn ? 'Built in' : 'Custom'}</td>
              <td>{p.description ?? ''}</td>
              <td>
                {p.builtIn ? null : (
                  <ConfirmButton label="Delete" name={`Delete group ${title}`} question={`Delete the group ${title}? Its members stay, outside it.`} confirmLabel="Delete" disabled={action.busy} onConfirm={() => remove(group)} />
                )}
              </td>
            </tr>
          );
        }}
      />
      <FormSection id="create-group" title="Create a custom group" submitLabel="Create group" busy={action.busy} onSubmit={create}>
        <TextField id="new-group-name" label="Id" help="The group's id in its ARM path." required value={draft.name} onValue={set('name')} />
        <TextField id="new-group-display-name" label="Display name" required value={draft.displayName} onValue={set('displayName')} />
        <TextField id="new-group-description" label="Description" multiline value={draft.description} onValue={set('description')} />
      </FormSection>
    </ResourcePageFrame>
  );
}
