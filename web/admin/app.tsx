/**
 * The admin console's frame: finds out whether the browser is signed in, shows the sign-in page
 * or the navigation and the page the location hash names, and signs out.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { currentSession, signOut } from './console-session.js';
import { managementClient, type ConsoleSession } from './management-client.js';
import { ApisPage } from './pages/apis-page.js';
import { NetworkPage } from './pages/network-page.js';
import { PolicyPage } from './pages/policy-page.js';
import { SignInPage } from './pages/sign-in-page.js';
import { ProblemMessage } from './problem-message.js';
import { ResourcePages } from './resource-pages.js';
import { isResourceRoute, resourceNavigation } from './resource-routes.js';
import { parseRoute, routeHash, type Route } from './route.js';

type SessionState = { state: 'checking' } | { state: 'signed-out'; notice?: string } | { state: 'signed-in'; session: ConsoleSession } | { state: 'failed'; error: unknown };

function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const follow = () => setRoute(parseRoute(location.hash));
    addEventListener('hashchange', follow);
    return () => removeEventListener('hashchange', follow);
  }, []);
  return route;
}

const navigation: Array<{ label: string; route: Route }> = [
  { label: 'APIs', route: { page: 'apis' } },
  { label: 'Global policy', route: { page: 'policy' } },
  { label: 'Network', route: { page: 'network' } },
  ...resourceNavigation,
];

export function App() {
  const [session, setSession] = useState<SessionState>({ state: 'checking' });
  const route = useRoute();
  useEffect(() => {
    currentSession().then(
      (s) => setSession(s ? { state: 'signed-in', session: s } : { state: 'signed-out' }),
      (error: unknown) => setSession({ state: 'failed', error }),
    );
  }, []);
  const client = useMemo(
    () => (session.state === 'signed-in' ? managementClient(session.session, () => setSession({ state: 'signed-out', notice: 'Your session ended. Sign in again.' })) : undefined),
    [session],
  );

  if (session.state === 'checking') return <p role="status">Loading…</p>;
  if (session.state === 'failed') {
    return (
      <main id="main">
        <h1>Gatehouse admin console</h1>
        <ProblemMessage error={session.error} />
      </main>
    );
  }
  if (session.state === 'signed-out' || !client) {
    return (
      <>
        <Banner />
        <SignInPage notice={session.state === 'signed-out' ? session.notice : undefined} onSignedIn={(s) => setSession({ state: 'signed-in', session: s })} />
      </>
    );
  }
  const current = routeHash(route);
  const leave = async () => {
    try {
      await signOut(session.session);
      setSession({ state: 'signed-out', notice: 'You are signed out.' });
    } catch (error) {
      setSession({ state: 'failed', error });
    }
  };
  return (
    <>
      <a class="skip-link" href="#main" onClick={(e) => { e.preventDefault(); document.getElementById('page-title')?.focus(); }}>
        Skip to content
      </a>
      <Banner service={session.session.serviceName}>
        <nav aria-label="Console">
          <ul>
            {navigation.map((item) => {
              const hash = routeHash(item.route);
              const active = hash === current || current.startsWith(`${hash}/`);
              return (
                <li key={hash}>
                  <a href={hash} aria-current={active ? 'page' : undefined}>
                    {item.label}
                  </a>
                </li>
              );
            })}
          </ul>
        </nav>
        <button type="button" class="sign-out" onClick={leave}>
          Sign out
        </button>
      </Banner>
      {route.page === 'apis' ? <ApisPage client={client} /> : null}
      {route.page === 'policy' ? <PolicyPage key={route.api ?? ''} client={client} api={route.api} /> : null}
      {route.page === 'network' ? <NetworkPage client={client} /> : null}
      {isResourceRoute(route) ? <ResourcePages route={route} client={client} /> : null}
    </>
  );
}

function Banner({ service, children }: { service?: string; children?: preact.ComponentChildren }) {
  return (
    <header class="banner">
      <p class="brand">
        Gatehouse <span class="secondary">admin console{service ? ` · service ${service}` : ''}</span>
      </p>
      {children}
    </header>
  );
}
