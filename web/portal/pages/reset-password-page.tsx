/**
 * Password reset (`/reset-password`): without a query, the visitor asks for a mail (the answer is
 * the same whether or not the address is registered); with the mailed link's
 * `?userId=…&ticket=…`, they choose a new password, typed twice.
 */
import { useState } from 'preact/hooks';
import { ManagementError } from '../../shared/arm-answer.js';
import { PageHeading } from '../../shared/page-heading.js';
import { useSubmit } from '../../shared/use-submit.js';
import { AccountForm } from '../account-form.js';
import { mailedTicket, postIdentity } from '../identity-request.js';
import { Link } from '../link.js';
import { useNewPassword } from '../new-password-fields.js';
import { TextField } from '../text-field.js';
import '../account.css';

export function ResetPasswordPage() {
  const ticket = mailedTicket(location.search);
  return ticket ? <SetNewPassword ticket={ticket} /> : <AskForResetMail />;
}

function AskForResetMail() {
  const [email, setEmail] = useState('');
  const [sent, setSent] = useState(false);
  const submit = useSubmit(async () => {
    await postIdentity('passwordReset', { email });
    setSent(true);
  });
  return (
    <main id="main">
      <PageHeading title="Forgot your password?" />
      {sent ? (
        <p role="status">If the address is registered, a mail with a link to choose a new password is on its way. The link works for an hour.</p>
      ) : (
        <>
          <p>Type the e-mail address of your account. We will mail you a link to choose a new password.</p>
          <AccountForm submit={submit} label="Send the mail" busyLabel="Sending…">
            <TextField id="email" label="E-mail address" type="email" autocomplete="email" value={email} onValue={setEmail} />
          </AccountForm>
        </>
      )}
    </main>
  );
}

function SetNewPassword({ ticket }: { ticket: { userId: string; ticket: string } }) {
  const newPassword = useNewPassword('new-password', 'New password');
  const [done, setDone] = useState(false);
  const submit = useSubmit(async () => {
    await postIdentity('passwordReset/confirm', { ...ticket, password: newPassword.checked() });
    setDone(true);
  });
  const ticketRefused = submit.error instanceof ManagementError && submit.error.code === 'InvalidTicket';
  return (
    <main id="main">
      <PageHeading title="Choose a new password" />
      {done ? (
        <p role="status">
          Your password is changed. <Link to={{ page: 'signin' }}>Sign in with your new password</Link>.
        </p>
      ) : ticketRefused ? (
        <div class="problem" role="alert">
          <p>This link is not valid any more: it has expired, was already used, or was changed.</p>
          <p>
            <a href="/reset-password">Ask for a new mail</a>.
          </p>
        </div>
      ) : (
        <AccountForm submit={submit} label="Set the new password" busyLabel="Saving…">
          {newPassword.fields}
        </AccountForm>
      )}
    </main>
  );
}
