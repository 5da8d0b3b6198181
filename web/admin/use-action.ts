/**
 * A page's writes: one at a time (busy), each ending in a success notice or the server's
 * refusal, and a reload of what the page shows either way (a refused write may still have raced
 * another one).
 */
import { useState } from 'preact/hooks';

export interface Action {
  busy: boolean;
  problem: unknown;
  notice: string;
  /** Runs `work`; on success shows `done` (or what it makes of the answer). Resolves true on success. */
  run<T>(work: () => Promise<T>, done: string | ((answer: T) => string)): Promise<boolean>;
}

export function useAction(afterwards: () => void = () => undefined): Action {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<unknown>(undefined);
  const [notice, setNotice] = useState('');
  const run = async <T,>(work: () => Promise<T>, done: string | ((answer: T) => string)): Promise<boolean> => {
    setBusy(true);
    setProblem(undefined);
    setNotice('');
    try {
      const answer = await work();
      setNotice(typeof done === 'string' ? done : done(answer));
      return true;
    } catch (err) {
      setProblem(err);
      return false;
    } finally {
      setBusy(false);
      afterwards();
    }
  };
  return { busy, problem, notice, run };
}
