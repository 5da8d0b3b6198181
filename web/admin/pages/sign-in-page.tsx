/**
 * The sign-in page: the admin token (printed by `gatehouse start`'s admin token file) pasted
 * once; the server answers a session cookie.
 */
import { useState } from 'preact/hooks';
import { signIn } from '../console-session.js';
import type { ConsoleSession } from '../management-client.js';
import { PageHeading } from '../page-heading.js';
import { SecretField, SignInProblem } from '../../shared/secret-sign-in.js';
import { useSubmit } from '../../shared/use-submit.js';

export function SignInPage({ onSignedIn, notice }: { onSignedIn: (session: ConsoleSession) => void; notice?: string }) {
  const [token, setToken] = useState('');
  const submit = useSubmit(async () => onSignedIn(await signIn(token)));
  return (
    <main id="main" class="sign-in">
      <PageHeading title="Sign in" />
      {notice ? <p role="status">{notice}</p> : null}
      <p>
        Paste the admin token. <code>gatehouse start</code> prints where it is kept (the <code>admin-token</code> file in the data folder, or
        the <code>--admin-token</code> you gave).
      </p>
      <form onSubmit={submit.onSubmit}>
        <SecretField id="admin-token" name="token" label="Admin token" autocomplete="off" value={token} onValue={setToken} submit={submit} />
      </form>
      <SignInProblem submit={submit} />
    </main>
  );
}
