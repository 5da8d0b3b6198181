/**
 * A form's submit: while the action runs the form is busy (its button disabled), and what the
 * server refused is kept to be shown next to the form.
 */
import { useState } from 'preact/hooks';

export interface Submit {
  busy: boolean;
  error: unknown;
  /** The form's onSubmit: runs `action` once, unless it is already running. */
  onSubmit(event: Event): void;
}

export function useSubmit(action: () => Promise<void>): Submit {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const onSubmit = (event: Event) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(undefined);
    action()
      .catch((err: unknown) => setError(err))
      .finally(() => setBusy(false));
  };
  return { busy, error, onSubmit };
}
