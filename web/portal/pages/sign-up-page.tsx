/**
 * Sign up (`/signup`): e-mail, names and a password typed twice. The management API answers 202
 * whether or not the address is new (so addresses cannot be probed) and mails a confirmation link
 * to `/confirm`.
 */
import { useState } from 'preact/hooks';
import { PageHeading } from '../../shared/page-heading.js';
import { useSubmit } from '../../shared/use-submit.js';
import { AccountForm } from '../account-form.js';
import { postIdentity } from '../identity-request.js';
import { Link } from '../link.js';
import { useNewPassword } from '../new-password-fields.js';
import { TextField } from '../text-field.js';
import '../account.css';

export function SignUpPage() {
  const [email, setEmail] = useState('');
  const [firstName, setFirstName] = useState('');
  const [lastName, setLastName] = useState('');
  const newPassword = useNewPassword('password');
  const [sentTo, setSentTo] = useState<string | undefined>(undefined);
  const submit = useSubmit(async () => {
    const password = newPassword.checked();
    await postIdentity('signup', { email, password, firstName, lastName });
    setSentTo(email);
  });
  if (sentTo !== undefined) {
    return (
      <main id="main">
        <PageHeading title="Check your mail" />
        <p role="status">
          We sent a confirmation link to <strong>{sentTo}</strong>. Open it within 48 hours to confirm your account and sign in.
        </p>
        <p>No mail? Look in the spam folder, or <a href="/signup">sign up again</a>.</p>
      </main>
    );
  }
  return (
    <main id="main">
      <PageHeading title="Sign up" />
      <p>
        Create an account to subscribe to products and get keys. Already have one? <Link to={{ page: 'signin' }}>Sign in</Link>.
      </p>
      <AccountForm submit={submit} label="Sign up" busyLabel="Signing up…">
        <TextField id="email" label="E-mail address" type="email" autocomplete="email" value={email} onValue={setEmail} />
        <TextField id="first-name" label="First name" autocomplete="given-name" value={firstName} onValue={setFirstName} />
        <TextField id="last-name" label="Last name" autocomplete="family-name" value={lastName} onValue={setLastName} />
        {newPassword.fields}
      </AccountForm>
    </main>
  );
}
