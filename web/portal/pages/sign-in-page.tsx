/**
 * Sign in with e-mail and password; the portal server exchanges them with the management API
 * for the user's token and keeps it, answering a session cookie. Below, the identity providers
 * (provider-sign-in.tsx).
 */
import { useState } from 'preact/hooks';
import { PageHeading } from '../../shared/page-heading.js';
import { SecretField, SignInProblem } from '../../shared/secret-sign-in.js';
import { useSubmit } from '../../shared/use-submit.js';
import { Link } from '../link.js';
import type { PortalClient } from '../portal-client.js';
import { signIn, type PortalSession } from '../portal-session.js';
import { ProviderSignIn } from './provider-sign-in.js';

export function SignInPage({ onSignedIn, notice, client }: { onSignedIn: (session: PortalSession) => void; notice?: string; client: PortalClient }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const submit = useSubmit(async () => onSignedIn(await signIn(email, password)));
  return (
    <main id="main" class="sign-in">
      <PageHeading title="Sign in" />
      {notice ? <p role="status">{notice}</p> : null}
      <form onSubmit={submit.onSubmit}>
        <label for="email">E-mail address</label>
        <input id="email" name="email" type="email" autocomplete="username" required value={email} onInput={(e) => setEmail((e.currentTarget as HTMLInputElement).value)} />
        <SecretField id="password" name="password" label="Password" autocomplete="current-password" value={password} onValue={setPassword} submit={submit} />
      </form>
      <SignInProblem submit={submit} />
      <p>
        <Link to={{ page: 'reset-password' }}>Forgot your password?</Link> No account yet? <Link to={{ page: 'signup' }}>Sign up</Link>.
      </p>
      <ProviderSignIn client={client} />
    </main>
  );
}
