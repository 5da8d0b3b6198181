/**
 * Lines written to a file descriptor in batches (issue 19 §1): the lines of one event-loop turn,
 * and of every turn while a write is in flight, go out in one asynchronous write, or sooner when
 * the batch reaches `maxBatch` bytes. A batch holds whole lines and at most `maxBatch` bytes
 * (a line longer than that goes alone), so several processes appending to one destination never
 * mix inside a line as long as each write lands in one piece. Bytes go out in the order written;
 * `close` writes everything still held before it resolves. A failed write (a full disk, a closed
 * pipe) stops the writer and drops what follows, never the process.
 */
import { close as closeFd, write as writeFd } from 'node:fs';

export class BatchedLineWriter {
  // Full batches waiting behind the one being written, then the batch still filling.
  private readonly full: string[] = [];
  private current = '';
  private currentBytes = 0;
  private scheduled = false;
  private writing = false;
  private stopped = false;
  private ending = false;
  private fdClosed = false;
  private readonly whenDone: Array<() => void> = [];

  /** `ownsFd`: close the descriptor after the last write (not for stdout and stderr). */
  constructor(
    private readonly fd: number,
    private readonly maxBatch: number,
    private readonly ownsFd: boolean,
    private readonly onError: (err: Error) => void = () => {},
  ) {}

  /** Queues `line` (with its newline); it is written at the end of this turn at the latest. */
  write(line: string): void {
    if (this.stopped || this.ending) return;
    const bytes = Buffer.byteLength(line);
    if (this.currentBytes > 0 && this.currentBytes + bytes > this.maxBatch) this.seal();
    this.current += line;
    this.currentBytes += bytes;
    if (this.currentBytes >= this.maxBatch) {
      this.seal();
      this.next();
    } else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.endOfTurn);
    }
  }

  /** Writes what is held, then closes the descriptor when this writer owns it. */
  close(): Promise<void> {
    this.ending = true;
    return new Promise<void>((resolve) => {
      this.whenDone.push(resolve);
      this.next();
    });
  }

  private readonly endOfTurn = (): void => {
    this.scheduled = false;
    this.next();
  };

  private seal(): void {
    this.full.push(this.current);
    this.current = '';
    this.currentBytes = 0;
  }

  /** Starts the next write unless one is in flight; finishes a close once nothing is left. */
  private next(): void {
    if (this.writing) return;
    if (!this.stopped) {
      if (this.full.length === 0 && this.currentBytes > 0) this.seal();
      const batch = this.full.shift();
      if (batch !== undefined) return this.send(Buffer.from(batch));
    }
    if (this.ending) this.finish();
  }

  private send(data: Buffer): void {
    this.writing = true;
    writeFd(this.fd, data, 0, data.length, null, (err, written) => {
      this.writing = false;
      if (err) {
        const code = (err as NodeJS.ErrnoException).code;
        // A non-blocking pipe that is full: try the same bytes again shortly.
        if (code === 'EAGAIN' || code === 'EBUSY') {
          this.writing = true;
          setTimeout(() => this.send(data), 5);
          return;
        }
        this.stopped = true;
        this.full.length = 0;
        this.current = '';
        this.currentBytes = 0;
        this.onError(err);
        return this.next();
      }
      if (written < data.length) return this.send(data.subarray(written));
      this.next();
    });
  }

  private finish(): void {
    const done = this.whenDone.splice(0);
    if (done.length === 0) return;
    const resolveAll = () => done.forEach((resolve) => resolve());
    if (!this.ownsFd || this.fdClosed) return resolveAll();
    this.fdClosed = true;
    closeFd(this.fd, resolveAll);
  }
}
