/**
 * The users page: every user with name, e-mail, state and registration date, each linked to its
 * page; and the form that creates one (PUT /users/{id}; the password is optional and the server
 * keeps only its hash).
 */
import { useState } from 'preact/hooks';
import { FormSection, TextField } from '../form-fields.js';
import { listAll, type ManagementClient } from '../management-client.js';
import { ResourcePageFrame } from '../resource-page-frame.js';
import { ResourceTable } from '../resource-table.js';
import { routeHash } from '../route.js';
import { useAction } from '../use-action.js';
import { useLoaded } from '../use-loaded.js';
import { registrationDay, userFullName, type UserResource } from '../user-resource.js';

const emptyDraft = { name: '', email: '', firstName: '', lastName: '', password: '' };

export function UsersPage({ client }: { client: ManagementClient }) {
  const users = useLoaded(() => listAll<UserResource>(client, '/users'), [client]);
  const action = useAction(users.reload);
  const [draft, setDraft] = useState(emptyDraft);
  const set = (key: keyof typeof emptyDraft) => (value: string) => setDraft({ ...draft, [key]: value });

  const create = async () => {
    const properties = { email: draft.email, firstName: draft.firstName, lastName: draft.lastName, ...(draft.password ? { password: draft.password } : {}) };
    const created = await action.run(() => client.put(`/users/${encodeURIComponent(draft.name)}`, { properties }, { 'if-none-match': '*' }), `User ${draft.name} created.`);
    if (created) setDraft(emptyDraft);
  };

  return (
    <ResourcePageFrame title="Users" action={action} problemId="users-problem" loaded={users} what="the users">
      <ResourceTable
        items={users.value}
        noun="user"
        empty="There are no users yet."
        headings={['Name', 'E-mail', 'State', 'Registered']}
        row={(user) => (
          <tr key={user.name} data-user={user.name}>
            <th scope="row">
              <a href={routeHash({ page: 'users', name: user.name })}>{userFullName(user)}</a>
              <span class="secondary"> ({user.name})</span>
            </th>
            <td>{user.properties.email ?? ''}</td>
            <td class={`status status-${user.properties.state ?? ''}`}>{user.properties.state ?? ''}</td>
            <td>{registrationDay(user)}</td>
          </tr>
        )}
      />
      <FormSection id="create-user" title="Create a user" submitLabel="Create user" busy={action.busy} onSubmit={create}>
        <TextField id="new-user-name" label="Id" help="The user's id in its ARM path." required value={draft.name} onValue={set('name')} />
        <TextField id="new-user-email" label="E-mail" type="email" required value={draft.email} onValue={set('email')} />
        <TextField id="new-user-first-name" label="First name" required value={draft.firstName} onValue={set('firstName')} />
        <TextField id="new-user-last-name" label="Last name" required value={draft.lastName} onValue={set('lastName')} />
        <TextField
          id="new-user-password"
          label="Password (optional)"
          type="password"
          autocomplete="new-password"
          help="Without one, the user cannot sign in with a password. The server keeps only a hash."
          value={draft.password}
          onValue={set('password')}
        />
      </FormSection>
    </ResourcePageFrame>
  );
}
