/** The route of the current location, following the back button and `navigate`. */
import { useEffect, useState } from 'preact/hooks';
import { parseRoute, type Route } from './route.js';

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.pathname));
  useEffect(() => {
    const follow = () => setRoute(parseRoute(location.pathname));
    addEventListener('popstate', follow);
    return () => removeEventListener('popstate', follow);
  }, []);
  return route;
}
