/**
 * An AsyncLocalStorage whose value exists only while some `run` is in progress, and which costs
 * nothing when none is.
 *
 * On Node 20 an AsyncLocalStorage turns on the promise hooks for the whole process from its first
 * `run()` until it is disabled: every promise of every request then pays for an async id and a
 * copy of the context. The store's transaction marker (with `--workers 0` the gateway shares the
 * store's process) and the `wait` policy's branches each need a context only for a moment, so
 * this storage disables itself whenever no `run` is in progress.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export class ScopedAsyncStorage<T> {
  private readonly storage = new AsyncLocalStorage<T>();
  private running = 0;

  /** The value of the innermost `run` the calling code belongs to, while runs are in progress. */
  get current(): T | undefined {
    return this.storage.getStore();
  }

  /** Runs `work` with `value` as the current value of everything it starts. */
  async run<R>(value: T, work: () => R | Promise<R>): Promise<R> {
    this.running++;
    try {
      return await this.storage.run(value, work);
    } finally {
      // Once no run is in progress, work a run left behind no longer sees its value.
      if (--this.running === 0) this.storage.disable();
    }
  }
}
