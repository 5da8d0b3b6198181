/**
 * A button's action (show, copy, regenerate, cancel): a form's submit without the form (useSubmit),
 * one at a time, busy while it runs, and what failed kept to be shown next to the buttons.
 */
import { useRef } from 'preact/hooks';
import { useSubmit } from '../shared/use-submit.js';

export interface Action {
  busy: boolean;
  error: unknown;
  run(action: () => Promise<void>): void;
}

export function useAction(): Action {
  const next = useRef<() => Promise<void>>(async () => undefined);
  const submit = useSubmit(() => next.current());
  return {
    busy: submit.busy,
    error: submit.error,
    run(action) {
      if (submit.busy) return;
      next.current = action;
      submit.onSubmit(new Event('submit'));
    },
  };
}
