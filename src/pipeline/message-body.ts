/**
 * A request or response body as the pipeline sees it: a stream that is forwarded untouched
 * unless a policy needs its content, in which case it is read once into memory (reference
 * §4.2 `Body.As<T>(preserveContent)`).
 */
import type { Readable } from 'node:stream';

/**
 * A body still arriving when the pipeline gets it (a backend response): asked for once, at the
 * first use, it hands over all of its bytes when they are already in memory, and otherwise a
 * stream of the rest. Small responses have usually fully arrived by then, and are then written
 * to the client in one piece with their length, no stream involved.
 */
export interface ArrivingBody {
  settle(): Readable | Buffer;
}

export class MessageBody {
  private stream: Readable | null;
  private buffered: Buffer | null;
  private arriving: ArrivingBody | null = null;
  private consumed = false;

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
    return this.stream !== null || (this.buffered !== null && this.buffered.length > 0);
  }

  /** True once a policy read the content without preserving it. */
  get isConsumed(): boolean {
    return this.consumed;
  }

  /** Reads the whole content into memory; `preserve` keeps it available for forwarding. */
  async read(preserve = true): Promise<Buffer> {
    if (this.consumed) throw new Error('The message body has already been read.');
    if (this.arriving) this.settleArrival();
    if (this.buffered === null) {
      if (this.stream === null) this.buffered = Buffer.alloc(0);
      else {
        const chunks: Buffer[] = [];
        for await (const chunk of this.stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
        this.buffered = Buffer.concat(chunks);
        this.stream = null;
      }
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

  /** Length when known ahead (buffered), else undefined. */
  get knownLength(): number | undefined {
    if (this.arriving) this.settleArrival();
    return this.stream ? undefined : (this.buffered?.length ?? 0);
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
    if (Buffer.isBuffer(settled)) this.buffered = settled;
    else this.stream = settled;
  }
}

function isArriving(source: object): source is ArrivingBody {
  return typeof (source as Partial<ArrivingBody>).settle === 'function';
}
