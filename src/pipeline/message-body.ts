/**
 * A request or response body as the pipeline sees it: a stream that is forwarded untouched
 * unless a policy needs its content, in which case it is read once into memory (reference
 * §4.2 `Body.As<T>(preserveContent)`), up to a size limit.
 */
import type { ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';

/**
 * What a policy may buffer of one body unless `--max-buffered-body-size` says otherwise:
 * Azure's documented "Maximum buffered payload size", 2 MiB (docs/limits.md).
 */
export const defaultMaxBufferedBodyBytes = 2 * 1024 * 1024;

/** A body longer than the limit it was read with; nothing past the limit was kept. */
export class BodyTooLargeError extends Error {
  constructor(readonly limitBytes: number) {
    super(`The body is larger than the ${limitBytes} bytes a policy may buffer.`);
    this.name = 'BodyTooLargeError';
  }
}

/**
 * A body still arriving when the pipeline gets it (a backend response): asked for once, at the
 * first use, it hands over all of its bytes when they are already in memory, and otherwise a
 * stream of the rest. Small responses have usually fully arrived by then, and are then written
 * to the client in one piece with their length, no stream involved.
 */
export interface ArrivingBody {
  settle(): Readable | Buffer;
  /**
   * Optional: settles the body to be written to a client unchanged. As `settle`, except that a body
   * still arriving may be handed over as a ClientDelivery instead of a stream, writing its pieces
   * of `minPieceBytes` at least (the last excepted; 0: each as it comes).
   */
  settleForClient?(minPieceBytes: number): Readable | Buffer | ClientDelivery;
}

/** A body written straight to the client's response as it arrives, with no stream in between. */
export interface ClientDelivery {
  /**
   * Writes the body to `res`, whose head is written: with back-pressure (the source waits while
   * `res` is full), ending it at the body's end, destroying it when the source fails, and
   * stopping the source when `res` closes first. Resolves when `res` closed, whichever way.
   */
  deliverTo(res: ServerResponse): Promise<void>;
}

export class MessageBody {
  private stream: Readable | null;
  private buffered: Buffer | null;
  private arriving: ArrivingBody | null = null;
  /** Handed to the response writer by clientPayload: the body is the delivery's from then on. */
  private delivery: ClientDelivery | null = null;
  private consumed = false;
  /** Set once a read found the body longer than its limit: the limit it was read with. */
  private overLimit: number | null = null;
  /** The read of the stream under way: a second reader (two branches of `wait`) waits for it. */
  private pendingRead: Promise<Buffer> | null = null;

  constructor(source: Readable | Buffer | string | ArrivingBody | null) {
    if (source === null) {
      this.stream = null;
      this.buffered = null;
    } else if (typeof source === 'string' || Buffer.isBuffer(source)) {
      this.stream = null;
      this.buffered = Buffer.from(source);
    } else if (isArriving(source)) {
      this.stream = null;
      this.buffered = null;
      this.arriving = source;
    } else {
      this.stream = source;
      this.buffered = null;
    }
  }

  /** An empty body. */
  static empty(): MessageBody {
    return new MessageBody(null);
  }

  /** True when content is (or may be) present. */
  get present(): boolean {
    if (this.arriving) this.settleArrival();
    return this.delivery !== null || this.stream !== null || (this.buffered !== null && this.buffered.length > 0);
  }

  /** True once a policy read the content without preserving it. */
  get isConsumed(): boolean {
    return this.consumed;
  }

  /**
   * Reads the whole content into memory; `preserve` keeps it available for forwarding. A body
   * longer than `limitBytes` fails with BodyTooLargeError: reading stops keeping bytes at the
   * limit, and the rest of the stream is drained unread so its connection can still answer.
   */
  async read(preserve = true, limitBytes = Infinity): Promise<Buffer> {
    // Its failure is the first reader's to report; this one then finds the outcome below.
    if (this.pendingRead) await this.pendingRead.catch(() => undefined);
    if (this.overLimit !== null) throw new BodyTooLargeError(this.overLimit);
    if (this.consumed) throw new Error('The message body has already been read.');
    if (this.arriving) this.settleArrival();
    if (this.buffered === null) {
      if (this.stream === null) this.buffered = Buffer.alloc(0);
      else {
        const stream = this.stream;
        this.stream = null;
        const reading = readWithin(stream, limitBytes);
        this.pendingRead = reading;
        try {
          this.buffered = await reading;
        } catch (err) {
          if (err instanceof BodyTooLargeError) this.overLimit = err.limitBytes;
          throw err;
        } finally {
          this.pendingRead = null;
        }
      }
    } else if (this.buffered.length > limitBytes) {
      throw new BodyTooLargeError(limitBytes);
    }
    const content = this.buffered;
    if (!preserve) {
      this.consumed = true;
      this.buffered = Buffer.alloc(0);
    }
    return content;
  }

  /** Already-buffered content, if any (sync access for expressions after pre-buffering). */
  get bufferedContent(): Buffer | null {
    if (this.arriving) this.settleArrival();
    return this.buffered;
  }

  /** Replaces the content (set-body). */
  replace(content: Buffer | string): void {
    this.discard();
    this.stream = null;
    this.buffered = Buffer.from(content);
    this.consumed = false;
  }

  /** What to send: the original stream, the buffered bytes, or nothing. */
  payload(): Readable | Buffer | null {
    if (this.arriving) this.settleArrival();
    if (this.stream) return this.stream;
    if (this.buffered && this.buffered.length > 0) return this.buffered;
    return null;
  }

  /**
   * What to write to the client: as payload(), except that an arriving body nobody used or
   * replaced may come as a ClientDelivery, to be written straight to the client as it arrives.
   */
  clientPayload(): Readable | Buffer | ClientDelivery | null {
    const arriving = this.arriving;
    if (arriving?.settleForClient) {
      this.arriving = null;
      const settled = arriving.settleForClient(0);
      if (!Buffer.isBuffer(settled) && isDelivery(settled)) return (this.delivery = settled);
      this.keepSettled(settled);
    }
    return this.payload();
  }

  /** Length when known ahead (buffered), else undefined. */
  get knownLength(): number | undefined {
    if (this.arriving) this.settleArrival();
    return this.stream || this.delivery ? undefined : (this.buffered?.length ?? 0);
  }

  /** Drains an unread stream so its socket can be reused. */
  discard(): void {
    if (this.arriving) this.settleArrival();
    if (this.stream) {
      // Nobody reads it any more: a late error (a reset backend socket) must not go unhandled.
      this.stream.on('error', () => undefined);
      this.stream.resume();
      this.stream = null;
    }
  }

  /** Takes what an arriving body has: its bytes, or a stream of them. */
  private settleArrival(): void {
    const settled = this.arriving!.settle();
    this.arriving = null;
    this.keepSettled(settled);
  }

  /** Keeps a settled arriving body: in memory when it all arrived, else as the stream it is. */
  private keepSettled(settled: Readable | Buffer): void {
    if (Buffer.isBuffer(settled)) this.buffered = settled;
    else this.stream = settled;
  }
}

/**
 * Collects a stream's bytes up to `limitBytes`. Past the limit the collected bytes are dropped
 * and the stream is left flowing with nobody keeping its data: destroying it instead would
 * close a client's connection before the gateway could answer.
 */
function readWithin(stream: Readable, limitBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    if (stream.readableEnded) return resolve(Buffer.alloc(0));
    // Destroyed already (a client that hung up before a policy read its body): its 'close' has
    // been emitted and would never reach the listeners below.
    if (stream.destroyed) return reject(stream.errored ?? new Error('The body stream closed before its end.'));
    let chunks: Buffer[] = [];
    let size = 0;
    const stop = (): void => {
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', onError);
      stream.off('close', onClose);
    };
    const onData = (chunk: Buffer | string): void => {
      const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
      size += bytes.length;
      if (size > limitBytes) {
        stop();
        chunks = [];
        // Late errors of a stream nobody reads any more must not go unhandled.
        stream.on('error', () => undefined);
        stream.resume();
        reject(new BodyTooLargeError(limitBytes));
        return;
      }
      chunks.push(bytes);
    };
    const onEnd = (): void => {
      stop();
      resolve(Buffer.concat(chunks, size));
    };
    const onError = (err: Error): void => {
      stop();
      reject(err);
    };
    const onClose = (): void => {
      stop();
      reject(new Error('The body stream closed before its end.'));
    };
    stream.on('data', onData);
    stream.once('end', onEnd);
    stream.once('error', onError);
    stream.once('close', onClose);
    stream.resume();
  });
}

/** A ClientDelivery rather than a stream (a Readable has no `deliverTo`). */
export function isDelivery(payload: Readable | ClientDelivery): payload is ClientDelivery {
  return typeof (payload as Partial<ClientDelivery>).deliverTo === 'function';
}

function isArriving(source: object): source is ArrivingBody {
  return typeof (source as Partial<ArrivingBody>).settle === 'function';
}
