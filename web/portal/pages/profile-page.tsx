/**
 * The signed-in user's profile (`/profile`): their name and e-mail address (`GET users/{self}`),
 * a form to change the names and one to change the password (`PATCH users/{self}`, the only
 * properties a user may change).
 */
import { useEffect, useState } from 'preact/hooks';
import { PageHeading } from '../../shared/page-heading.js';
import { ProblemMessage } from '../../shared/problem-message.js';
import { useLoaded } from '../../shared/use-loaded.js';
import { useSubmit } from '../../shared/use-submit.js';
import { AccountForm } from '../account-form.js';
import type { User } from '../account-resources.js';
import { useNewPassword } from '../new-password-fields.js';
import type { PortalClient } from '../portal-client.js';
import { TextField } from '../text-field.js';
import '../account.css';

/**
 * A user's PATCH. `If-Match: *`: the names and the password are the user's own, and the last
 * save wins, as when they type them again.
 */
const saveUser = (client: PortalClient, userId: string, properties: Record<string, string>) => client.patch<User>(`users/${encodeURIComponent(userId)}`, { properties }, { 'If-Match': '*' });

export function ProfilePage({ client, userId }: { client: PortalClient; userId: string }) {
  const user = useLoaded(() => client.get<User>(`users/${encodeURIComponent(userId)}`), [client, userId]);
  return (
    <main id="main">
      <PageHeading title="Your profile" />
      {user.loading && !user.value ? <p role="status">Loading…</p> : null}
      <ProblemMessage error={user.error} />
      {user.value ? (
        <>
          <dl class="profile">
            <dt>Name</dt>
            <dd>
              {user.value.properties.firstName} {user.value.properties.lastName}
            </dd>
            <dt>E-mail address</dt>
            <dd>{user.value.properties.email}</dd>
          </dl>
          <NamesForm client={client} user={user.value} onSaved={user.reload} />
          <PasswordForm client={client} userId={userId} />
        </>
      ) : null}
    </main>
  );
}

function NamesForm({ client, user, onSaved }: { client: PortalClient; user: User; onSaved: () => void }) {
  const [firstName, setFirstName] = useState(user.properties.firstName);
  const [lastName, setLastName] = useState(user.properties.lastName);
  const [notice, setNotice] = useState('');
  useEffect(() => {
    setFirstName(user.properties.firstName);
    setLastName(user.properties.lastName);
  }, [user]);
  const submit = useSubmit(async () => {
    setNotice('');
    await saveUser(client, user.name, { firstName, lastName });
    setNotice('Your name is saved.');
    onSaved();
  });
  return (
    <section aria-labelledby="names-heading">
      <h2 id="names-heading">Your name</h2>
      <AccountForm submit={submit} label="Save the name" busyLabel="Saving…" notice={notice}>
        <TextField id="first-name" label="First name" autocomplete="given-name" value={firstName} onValue={setFirstName} />
        <TextField id="last-name" label="Last name" autocomplete="family-name" value={lastName} onValue={setLastName} />
      </AccountForm>
    </section>
  );
}

function PasswordForm({ client, userId }: { client: PortalClient; userId: string }) {
  const newPassword = useNewPassword('new-password', 'New password');
  const [notice, setNotice] = useState('');
  const submit = useSubmit(async () => {
    setNotice('');
    await saveUser(client, userId, { password: newPassword.checked() });
    setNotice('Your password is changed. Use it the next time you sign in.');
    newPassword.reset();
  });
  return (
    <section aria-labelledby="password-heading">
      <h2 id="password-heading">Change your password</h2>
      <AccountForm submit={submit} label="Change the password" busyLabel="Saving…" notice={notice}>
        {newPassword.fields}
      </AccountForm>
    </section>
  );
}
