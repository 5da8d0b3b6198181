/**
 * A progress line for long work (`importing: 1200/3000 resources (410/s)`) on stderr: nothing
 * when the work ends within the first second, then one update a second. On a terminal the line
 * is rewritten in place; elsewhere (a CI log) each update is its own line.
 */

export interface ProgressLineOptions {
  /** What is counted, e.g. `resources`. */
  unit: string;
  /** Writes raw text (no newline added). */
  write: (text: string) => void;
  /** Rewrite one line in place (stderr is a terminal). */
  inPlace: boolean;
  /** Milliseconds, monotonic. */
  now?: () => number;
  /** Quiet time before the first update, and the time between updates (ms). */
  intervalMs?: number;
}

export interface ProgressLine {
  update(done: number, total: number): void;
  /** Ends the line (on a terminal) if anything was shown. */
  finish(): void;
}

/** Starts the clock now; `label` leads the line (`importing`). */
export function progressLine(label: string, options: ProgressLineOptions): ProgressLine {
  const now = options.now ?? (() => performance.now());
  const interval = options.intervalMs ?? 1000;
  const started = now();
  let nextAt = started + interval;
  let shown = false;
  return {
    update(done, total) {
      const at = now();
      if (at < nextAt) return;
      nextAt = at + interval;
      const rate = Math.round(done / ((at - started) / 1000));
      const text = `${label}: ${Math.min(done, total)}/${total} ${options.unit} (${rate}/s)`;
      options.write(options.inPlace ? `\r${text}\x1b[K` : `${text}\n`);
      shown = true;
    },
    finish() {
      if (shown && options.inPlace) options.write('\n');
      shown = false;
    },
  };
}
