/** What an account page shows to a visitor who is not signed in: a heading and a link to sign in. */
import { PageHeading } from '../shared/page-heading.js';
import { Link } from './link.js';

export function SignedInOnly({ title }: { title: string }) {
  return (
    <main id="main">
      <PageHeading title={title} />
      <p>
        <Link to={{ page: 'signin' }}>Sign in</Link> to see this page. No account yet? <Link to={{ page: 'signup' }}>Sign up</Link>.
      </p>
    </main>
  );
}
