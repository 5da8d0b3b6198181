/**
 * A pass-through stream that lets a policy watch a body as it flows to its reader without
 * holding any of it back: each chunk is passed on first, then shown to `see`; `done` is called
 * once, at the end, or when the transfer is cut short (an aborted transfer never flushes, and
 * what passed still counts). Used by bandwidth quotas (bytes) and the AI gateway policies
 * (token usage in server-sent events).
 */
import { Transform, type TransformCallback } from 'node:stream';

export class StreamWatcher extends Transform {
  private reported = false;

  constructor(
    private readonly see: (chunk: Buffer) => void,
    private readonly done: () => void,
  ) {
    super();
    this.once('close', () => this.report());
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    callback(null, chunk);
    try {
      this.see(chunk);
    } catch {
      // A watcher's failure loses what it watches for, never the body.
    }
  }

  override _flush(callback: TransformCallback): void {
    this.report();
    callback();
  }

  private report(): void {
    if (this.reported) return;
    this.reported = true;
    this.done();
  }
}
