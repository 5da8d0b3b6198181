/**
 * Loads something when a page opens (and again on `reload()`), keeping the three states a page
 * shows: loading, the value, or the error.
 */
import { useCallback, useEffect, useState } from 'preact/hooks';

export interface Loaded<T> {
  value?: T;
  error?: unknown;
  loading: boolean;
  reload(): void;
}

export function useLoaded<T>(load: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const [state, setState] = useState<{ value?: T; error?: unknown; loading: boolean }>({ loading: true });
  const [round, setRound] = useState(0);
  useEffect(() => {
    let current = true;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (value) => current && setState({ value, loading: false }),
      (error: unknown) => current && setState({ error, loading: false }),
    );
    return () => {
      current = false;
    };
  }, [...deps, round]);
  const reload = useCallback(() => setRound((r) => r + 1), []);
  return { ...state, reload };
}
