/**
 * The sign-in page: the admin token (printed by `gatehouse start`'s admin token file) pasted
 * once; the server answers a session cookie.
 */
import { useState } from 'preact/hooks';
import { signIn } from '../console-session.js';
import type { ConsoleSession } from '../management-client.js';
import { PageHeading } from '../page-heading.js';
import { ProblemMessage } from '../problem-message.js';
import { useSubmit } from '../../shared/use-submit.js';

export function SignInPage({ onSignedIn, notice }: { onSignedIn: (session: ConsoleSession) => void; notice?: string }) {
  const [token, setToken] = useState('');
  const { busy, error, onSubmit } = useSubmit(async () => onSignedIn(await signIn(token)));
  return (
    <main id="main" class="sign-in">
      <PageHeading title="Sign in" />
      {notice ? <p role="status">{notice}</p> : null}
      <p>
        Paste the admin token. <code>gatehouse start</code> prints where it is kept (the <code>admin-token</code> file in the data folder, or
        the <code>--admin-token</code> you gave).
      </p>
      <form onSubmit={onSubmit}>
        <label for="admin-token">Admin token</label>
        <input
          id="admin-token"
          name="token"
          type="password"
          autocomplete="off"
          spellcheck={false}
          required
          value={token}
          onInput={(e) => setToken((e.currentTarget as HTMLInputElement).value)}
          aria-describedby={error ? 'sign-in-problem' : undefined}
        />
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <ProblemMessage error={error} id="sign-in-problem" />
    </main>
  );
}
