/**
 * The developer portal's frame: finds out who is signed in, shows the header with the navigation
 * and the sign-in state, and the view the path names.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { PageHeading } from '../shared/page-heading.js';
import { ProblemMessage } from '../shared/problem-message.js';
import { Link } from './link.js';
import { portalClient } from './portal-client.js';
import { currentSession, signOut, type PortalSession } from './portal-session.js';
import { HomePage } from './pages/home-page.js';
import { ApiPage } from './pages/api-page.js';
import { ApisPage } from './pages/apis-page.js';
import { ProductPage } from './pages/product-page.js';
import { ProductsPage } from './pages/products-page.js';
import { SignInPage } from './pages/sign-in-page.js';
import { ConfirmPage } from './pages/confirm-page.js';
import { ProfilePage } from './pages/profile-page.js';
import { ResetPasswordPage } from './pages/reset-password-page.js';
import { SignUpPage } from './pages/sign-up-page.js';
import { SubscriptionsPage } from './pages/subscriptions-page.js';
import { SignedInOnly } from './signed-in-only.js';
import { navigate, type Route } from './route.js';
import { useRoute } from './use-route.js';

/** The header's links to a signed-in user's own pages. */
const accountLinks = [['subscriptions', 'Subscriptions'], ['profile', 'Profile']] as const;

type SessionState = { state: 'checking' } | { state: 'ready'; session?: PortalSession; notice?: string } | { state: 'failed'; error: unknown };

export function App() {
  const [session, setSession] = useState<SessionState>({ state: 'checking' });
  const route = useRoute();
  useEffect(() => {
    currentSession().then(
      (s) => setSession({ state: 'ready', session: s }),
      (error: unknown) => setSession({ state: 'failed', error }),
    );
  }, []);
  const signedIn = session.state === 'ready' ? session.session : undefined;
  const client = useMemo(() => portalClient(signedIn, () => setSession({ state: 'ready', notice: 'Your session ended. Sign in again.' })), [signedIn]);

  if (session.state === 'checking') return <p role="status">Loading…</p>;
  if (session.state === 'failed') {
    return (
      <main id="main">
        <PageHeading title="Gatehouse developer portal" />
        <ProblemMessage error={session.error} />
      </main>
    );
  }
  const onSignedIn = (s: PortalSession) => {
    setSession({ state: 'ready', session: s });
    navigate('/');
  };
  const onSignOut = async () => {
    if (signedIn) await signOut(signedIn).catch(() => undefined);
    setSession({ state: 'ready' });
    navigate('/');
  };
  return (
    <>
      <a class="visually-hidden" href="#main">
        Skip to the content
      </a>
      <header class="portal-header">
        <strong>Gatehouse developer portal</strong>
        <nav aria-label="Portal">
          <ul>
            <li>
              <Link to={{ page: 'home' }}>Home</Link>
            </li>
            <li>
              <Link to={{ page: 'apis' }}>APIs</Link>
            </li>
            <li>
              <Link to={{ page: 'products' }}>Products</Link>
            </li>
            {(signedIn ? accountLinks : []).map(([page, name]) => (
              <li key={page}>
                <Link to={{ page }}>{name}</Link>
              </li>
            ))}
          </ul>
        </nav>
        <div class="who">
          {signedIn ? (
            <>
              <span>Signed in as {signedIn.userId}</span>
              <button type="button" onClick={() => void onSignOut()}>
                Sign out
              </button>
            </>
          ) : (
            <>
              <Link to={{ page: 'signin' }}>Sign in</Link>
              <Link to={{ page: 'signup' }}>Sign up</Link>
            </>
          )}
        </div>
      </header>
      <View route={route} signedIn={signedIn} client={client} onSignedIn={onSignedIn} notice={session.notice} />
    </>
  );
}

function View({ route, signedIn, client, onSignedIn, notice }: { route: Route; signedIn?: PortalSession; client: ReturnType<typeof portalClient>; onSignedIn: (s: PortalSession) => void; notice?: string }) {
  switch (route.page) {
    case 'signin':
      return <SignInPage onSignedIn={onSignedIn} notice={notice} client={client} />;
    case 'signup':
      return <SignUpPage />;
    case 'confirm':
      return <ConfirmPage onConfirmed={(s) => { onSignedIn(s); navigate('/profile'); }} />;
    case 'reset-password':
      return <ResetPasswordPage />;
    case 'profile':
      return signedIn ? <ProfilePage client={client} userId={signedIn.userId} /> : <SignedInOnly title="Your profile" />;
    case 'subscriptions':
      return signedIn ? <SubscriptionsPage client={client} userId={signedIn.userId} /> : <SignedInOnly title="Your subscriptions" />;
    case 'apis':
      return <ApisPage client={client} />;
    case 'products':
      return <ProductsPage client={client} />;
    case 'api':
      return <ApiPage apiId={route.api} client={client} signedIn={signedIn} />;
    case 'product':
      return <ProductPage productId={route.product} client={client} signedIn={signedIn} />;
    case 'home':
      return <HomePage client={client} />;
    default:
      return (
        <main id="main">
          <PageHeading title="Not found" />
          <p>There is no such page in the portal.</p>
        </main>
      );
  }
}
