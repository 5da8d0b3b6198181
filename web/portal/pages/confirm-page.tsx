/**
 * The confirmation link of the sign-up mail (`/confirm?userId=…&ticket=…`). The visitor presses
 * one button to confirm: opening the link alone changes nothing, so a mail scanner that opens
 * links (some run scripts) neither uses up the ticket nor gets the session. A confirmation that
 * succeeds answers the new session: the visitor is signed in and goes to their profile.
 */
import { PageHeading } from '../../shared/page-heading.js';
import { ManagementError } from '../../shared/arm-answer.js';
import { useSubmit } from '../../shared/use-submit.js';
import { AccountForm } from '../account-form.js';
import { mailedTicket, postIdentity } from '../identity-request.js';
import { Link } from '../link.js';
import type { PortalSession } from '../portal-session.js';
import '../account.css';

export function ConfirmPage({ onConfirmed }: { onConfirmed: (session: PortalSession) => void }) {
  const ticket = mailedTicket(location.search);
  const submit = useSubmit(async () => {
    if (ticket) onConfirmed(await postIdentity<PortalSession>('confirm', ticket));
  });
  if (!ticket) {
    return (
      <main id="main">
        <PageHeading title="Confirm your account" />
        <p>This link is incomplete: it needs the user and the ticket of the mail. Open the link from the mail as it is, or <Link to={{ page: 'signup' }}>sign up again</Link> for a new mail.</p>
      </main>
    );
  }
  const ticketRefused = submit.error instanceof ManagementError && submit.error.code === 'InvalidTicket';
  return (
    <main id="main">
      <PageHeading title="Confirm your account" />
      {ticketRefused ? (
        <div class="problem" role="alert">
          <p>This confirmation link is not valid any more: it has expired, was already used, or was changed.</p>
          <p>
            <Link to={{ page: 'signup' }}>Sign up again</Link> to get a new mail. If your account is already confirmed, <Link to={{ page: 'signin' }}>sign in</Link>.
          </p>
        </div>
      ) : (
        <>
          <p>Confirm your e-mail address to activate your account. You are signed in when it is done.</p>
          <AccountForm submit={submit} label="Confirm my account" busyLabel="Confirming…" />
        </>
      )}
    </main>
  );
}
