/**
 * Runs a page's changes one at a time: while one runs the page's buttons are disabled, a
 * refusal is kept to be shown as the server said it, and a success leaves a status message.
 * `after` runs either way (reloading what the page shows).
 */
import { useState } from 'preact/hooks';

export interface Action {
  busy: boolean;
  problem: unknown;
  notice: string;
  /** Runs `work`; on success shows `done`. Answers whether it succeeded. */
  run(work: () => Promise<unknown>, done: string): Promise<boolean>;
}

export function useAction(after: () => void = () => undefined): Action {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<unknown>(undefined);
  const [notice, setNotice] = useState('');
  const run = async (work: () => Promise<unknown>, done: string) => {
    setBusy(true);
    setProblem(undefined);
    setNotice('');
    try {
      await work();
      setNotice(done);
      return true;
    } catch (err) {
      setProblem(err);
      return false;
    } finally {
      setBusy(false);
      after();
    }
  };
  return { busy, problem, notice, run };
}
