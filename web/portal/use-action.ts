/**
 * A button's action (show, copy, regenerate, cancel): one at a time, busy while it runs, and
 * what failed kept to be shown next to the buttons.
 */
import { useState } from 'preact/hooks';

export interface Action {
  busy: boolean;
  error: unknown;
  run(action: () => Promise<void>): void;
}

export function useAction(): Action {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const run = (action: () => Promise<void>) => {
    if (busy) return;
    setBusy(true);
    setError(undefined);
    action()
      .catch((err: unknown) => setError(err))
      .finally(() => setBusy(false));
  };
  return { busy, error, run };
}
