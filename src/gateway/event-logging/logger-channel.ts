/**
 * One event hub logger's sending (docs/loggers-and-diagnostics.md): log-to-eventhub puts its
 * messages into a bounded buffer and returns; a background loop opens the logger's sink, sends
 * the buffer in order and, when the sink cannot be reached or fails, drops the sink and tries a
 * new one after a growing pause (250 ms doubling to 30 s). Messages that do not fit the buffer
 * meanwhile are dropped and counted, so a sink that is down never slows or fails a request.
 * `isBuffered: true` (Azure's default) sends batches of what has gathered after a short pause;
 * `false` sends each message on its own as soon as it comes.
 */
import type { Logger } from '../../core/logger.js';
import type { EventHandover, EventMessage } from '../../pipeline/event-logging.js';
import type { EventSink } from './event-sink.js';
import { LoggerBuffer, type BufferLimits } from './logger-buffer.js';
import type { LoggerCounts } from './logger-metrics.js';
import type { SinkFactory } from './sink-for-logger.js';

export interface ChannelOptions {
  /** `isBuffered`: batch messages (true) or send each on its own (false). */
  buffered: boolean;
  limits?: BufferLimits;
  /** How long a buffered logger lets messages gather before sending (default 50 ms). */
  lingerMs?: number;
  /** Most messages and bytes in one batch (default 500 and 1 MiB, an event hub batch's limit). */
  batchMessages?: number;
  batchBytes?: number;
  /** How long opening a sink and sending one batch may take (default 10 s each). */
  openTimeoutMs?: number;
  sendTimeoutMs?: number;
  /** The first pause after a failure and the longest (default 250 ms and 30 s). */
  backoffMs?: { initial: number; max: number };
  /** How long closing waits for the buffer to be sent (default 2 s). */
  closeDeadlineMs?: number;
}

export class LoggerChannel {
  private readonly buffer: LoggerBuffer;
  private sink: EventSink | undefined;
  private pumping: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private retryAt = 0;
  private backoff = 0;
  /** Set while the sink cannot be reached: said once in the log per outage. */
  private down = false;
  private closed = false;
  private closing: Promise<void> | undefined;
  /** Aborts whatever the loop waits for, when closing runs out of time. */
  private readonly stop = new AbortController();

  constructor(
    /** The logger's name, as the metrics and log lines name it. */
    readonly name: string,
    /** What the sink is, for the log (no credentials). */
    private readonly kind: string,
    private readonly createSink: SinkFactory,
    private readonly counts: LoggerCounts,
    private readonly log: Logger,
    private readonly options: ChannelOptions,
  ) {
    this.buffer = new LoggerBuffer(options.limits);
  }

  /** Messages waiting to be sent. */
  get waiting(): number {
    return this.buffer.length;
  }

  /** Queues `message`; drops and counts it when the buffer is full or the channel closed. */
  enqueue(message: EventMessage): EventHandover {
    if (this.closed) {
      this.counts.dropped(this.name, 'closed', 1);
      return 'dropped';
    }
    if (!this.buffer.push(message)) {
      this.counts.dropped(this.name, 'buffer_full', 1);
      return 'dropped';
    }
    this.schedule();
    return 'queued';
  }

  /** Stops taking messages, sends what waits for up to the close deadline, drops the rest and closes the sink. */
  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  private async shutDown(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    const deadline = setTimeout(() => this.stop.abort(new Error('the logger is closing')), this.options.closeDeadlineMs ?? 2_000);
    try {
      // Only a sink that is open gets the rest; none is opened for it.
      if (!this.pumping && this.buffer.length > 0 && this.sink && !this.sink.broken) this.pumping = this.pump();
      await this.pumping;
    } finally {
      clearTimeout(deadline);
      this.stop.abort(new Error('the logger is closed'));
      const left = this.buffer.clear();
      if (left > 0) this.counts.dropped(this.name, 'closed', left);
      await this.dropSink();
    }
  }

  /** Starts the loop now, after the linger pause, or when the retry pause is over. */
  private schedule(): void {
    if (this.pumping || this.timer || this.closed) return;
    const wait = Math.max(this.retryAt - Date.now(), this.options.buffered ? (this.options.lingerMs ?? 50) : 0);
    const start = (): void => {
      this.timer = undefined;
      this.pumping = this.pump();
    };
    if (wait <= 0) {
      start();
      return;
    }
    this.timer = setTimeout(start, wait);
    // A pause never keeps the process alive.
    this.timer.unref();
  }

  private async pump(): Promise<void> {
    // Never settles before `pumping` is assigned, so the finally below always clears it.
    await null;
    try {
      while (this.buffer.length > 0 && !this.stop.signal.aborted) {
        if (!(await this.connected())) return;
        const batch = this.buffer.take(this.options.buffered ? (this.options.batchMessages ?? 500) : 1, this.options.batchBytes ?? 1024 * 1024);
        try {
          await this.sink!.send(batch, AbortSignal.any([AbortSignal.timeout(this.options.sendTimeoutMs ?? 10_000), this.stop.signal]));
          this.counts.sent(this.name, batch.length);
          this.backoff = 0;
        } catch (err) {
          this.counts.dropped(this.name, 'send_failed', batch.length);
          this.failed(err, `${batch.length} message(s) could not be sent and were dropped`);
          await this.dropSink();
        }
      }
    } finally {
      this.pumping = undefined;
      if (this.buffer.length > 0) this.schedule();
    }
  }

  /** Whether an open sink is ready, opening one when the retry pause is over (never while closing). */
  private async connected(): Promise<boolean> {
    if (this.sink && !this.sink.broken) return true;
    await this.dropSink();
    if (this.closed || Date.now() < this.retryAt) return false;
    const sink = this.createSink();
    try {
      await sink.open(AbortSignal.any([AbortSignal.timeout(this.options.openTimeoutMs ?? 10_000), this.stop.signal]));
    } catch (err) {
      await sink.close();
      this.failed(err, 'messages wait in the buffer; those that do not fit are dropped');
      return false;
    }
    this.sink = sink;
    if (this.down) this.log.info({ logger: this.name, sink: this.kind }, 'log-to-eventhub: the sink is reachable again');
    this.down = false;
    return true;
  }

  /** Notes a failure: the next attempt waits a pause that doubles each time; the first of an outage is logged. */
  private failed(err: unknown, consequence: string): void {
    const initial = this.options.backoffMs?.initial ?? 250;
    this.backoff = Math.min(this.backoff === 0 ? initial : this.backoff * 2, this.options.backoffMs?.max ?? 30_000);
    this.retryAt = Date.now() + this.backoff;
    if (this.down) return;
    this.down = true;
    this.log.warn({ logger: this.name, sink: this.kind, reason: err instanceof Error ? err.message : String(err) }, `log-to-eventhub: the sink failed; ${consequence}`);
  }

  private async dropSink(): Promise<void> {
    const sink = this.sink;
    this.sink = undefined;
    await sink?.close();
  }
}
