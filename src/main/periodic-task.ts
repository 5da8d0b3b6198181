/**
 * A task run again and again with a pause between runs, never two at once: what a self-hosted
 * gateway's configuration polls and heartbeats are (management-follower.ts, heartbeat-sender.ts).
 * A run asked for while one is going joins it. The timer never keeps the process alive.
 */

export interface PeriodicTask<T> {
  /** Runs the task now, or joins the run under way. */
  runNow(): Promise<T>;
  /** Stops the repetition and waits for a run under way. */
  close(): Promise<void>;
}

/** Repeats `run`, waiting `pauseMs()` after each run ends; the first run starts after a pause, or at once with `immediate`. */
export function repeat<T>(run: () => Promise<T>, pauseMs: () => number, options: { immediate?: boolean } = {}): PeriodicTask<T> {
  let running: Promise<T> | null = null;
  let timer: NodeJS.Timeout | null = null;
  let closed = false;

  const runNow = (): Promise<T> => {
    running ??= run().finally(() => {
      running = null;
    });
    return running;
  };
  const next = (): void => {
    if (closed) return;
    timer = setTimeout(() => void runNow().finally(next), pauseMs());
    timer.unref();
  };
  if (options.immediate) void runNow().finally(next);
  else next();

  return {
    runNow,
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
