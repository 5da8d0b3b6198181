/**
 * Branches of one request that run at the same time (the children of `wait`). Each runs in its
 * own async context, so a policy deep inside a branch can ask whether its branch was terminated
 * (`wait for="any"` stops the others once one completed) and leave the request state alone.
 */
import { ScopedAsyncStorage } from '../core/scoped-async-storage.js';

interface Branch {
  cancelled: boolean;
  /** The branch this one runs in (a `wait` inside a `wait`): terminating it terminates this one. */
  parent: Branch | undefined;
}

const current = new ScopedAsyncStorage<Branch>();

/** A branch started with `run`, and how to terminate it. */
export interface RunningBranch {
  done: Promise<void>;
  cancel(): void;
}

/** Starts `body` as a branch of its own. */
export function runBranch(body: () => void | Promise<void>): RunningBranch {
  const branch: Branch = { cancelled: false, parent: current.current };
  const done = current.run(branch, async () => {
    await body();
  });
  return {
    done,
    cancel() {
      branch.cancelled = true;
    },
  };
}

/** True inside a branch that was terminated; outside any branch, false. */
export function branchCancelled(): boolean {
  for (let b = current.current; b; b = b.parent) if (b.cancelled) return true;
  return false;
}
