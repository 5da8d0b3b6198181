/**
 * A first-come, first-served lock for async work. better-sqlite3 has one connection and a
 * synchronous API, so a transaction that awaits between statements must keep every other
 * transaction off that connection until it commits or rolls back.
 */
export class AsyncMutex {
  private tail: Promise<void> = Promise.resolve();

  /** Runs `work` once every earlier caller's work has settled; the lock is released even when it throws. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    const previous = this.tail;
    let release!: () => void;
    this.tail = new Promise<void>((resolve) => {
      release = resolve;
    });
    await previous;
    try {
      return await work();
    } finally {
      release();
    }
  }
}
