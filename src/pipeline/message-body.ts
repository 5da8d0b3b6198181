/**
 * A request or response body as the pipeline sees it: a stream that is forwarded untouched
 * unless a policy needs its content, in which case it is read once into memory (reference
 * §4.2 `Body.As<T>(preserveContent)`).
 */
import { Readable } from 'node:stream';

export class MessageBody {
  private stream: Readable | null;
  private buffered: Buffer | null;
  private consumed = false;

  constructor(source: Readable | Buffer | string | null) {
    if (source === null) {
      this.stream = null;
      this.buffered = null;
    } else if (typeof source === 'string' || Buffer.isBuffer(source)) {
      this.stream = null;
      this.buffered = Buffer.from(source);
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
    return this.stream !== null || (this.buffered !== null && this.buffered.length > 0);
  }

  /** True once a policy read the content without preserving it. */
  get isConsumed(): boolean {
    return this.consumed;
  }

  /** Reads the whole content into memory; `preserve` keeps it available for forwarding. */
  async read(preserve = true): Promise<Buffer> {
    if (this.consumed) throw new Error('The message body has already been read.');
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
    if (this.stream) return this.stream;
    if (this.buffered && this.buffered.length > 0) return this.buffered;
    return null;
  }

  /** Length when known ahead (buffered), else undefined. */
  get knownLength(): number | undefined {
    return this.stream ? undefined : (this.buffered?.length ?? 0);
  }

  /** Drains an unread stream so its socket can be reused. */
  discard(): void {
    if (this.stream) {
      // Nobody reads it any more: a late error (a reset backend socket) must not go unhandled.
      this.stream.on('error', () => undefined);
      this.stream.resume();
      this.stream = null;
    }
  }
}
