/**
 * One call to a backend through undici's lowest-level API (`dispatch` with a handler of our
 * own), instead of `request()`: no AsyncResource, no header object parsed only to be copied into
 * a HeaderMap, and no response stream unless the body is still arriving when the pipeline asks
 * for it. The response headers become the policies' HeaderMap in one pass over undici's raw list,
 * hop-by-hop headers and those `Connection` lists left out.
 */
import { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import { HeaderMap } from '../pipeline/header-map.js';
import type { ArrivingBody } from '../pipeline/message-body.js';
import { isHopByHop, namesListedByConnection } from './hop-by-hop.js';

/** What the backend answered, once its headers arrived. */
export interface BackendAnswer {
  statusCode: number;
  headers: HeaderMap;
  body: ArrivingBody;
}

/**
 * Bytes held in memory before the pipeline asks for the body; beyond that the backend waits. It
 * is well above the sizes answered in one piece: at exactly 64 KB, a 64 KB body paused the parser
 * before its end was seen and went through a stream (a third slower end to end).
 */
const bufferedBeforeUse = 256 * 1024;

/**
 * The handler of one dispatch. Resolves `answered` at the response headers (rejects on a failure
 * before them) and is then the response body: it keeps the chunks until `settle`, then streams.
 */
export class BackendExchange implements Dispatcher.DispatchHandlers, ArrivingBody {
  private abort: ((err?: Error) => void) | undefined;
  /** Why the call was cancelled before undici gave it a connection (it is aborted on getting one). */
  private cancelled: Error | undefined;
  /** Called once when the call ends, whichever way (completed, failed or cancelled). */
  private finished: (() => void) | undefined;
  private ended = false;
  private resume: (() => void) | undefined;
  private answer: ((answer: BackendAnswer) => void) | undefined;
  private refuse: ((err: Error) => void) | undefined;
  private readonly chunks: Buffer[] = [];
  private bytes = 0;
  private complete = false;
  private failure: Error | undefined;
  private stream: Readable | undefined;
  private settled = false;
  /** 204 and 304 end after their headers whatever Content-Length says (RFC 9112 §6.3). */
  private bodiless = false;

  readonly answered: Promise<BackendAnswer>;

  constructor(requestBody: Readable | Buffer | null) {
    this.answered = new Promise<BackendAnswer>((resolve, reject) => {
      this.answer = resolve;
      this.refuse = reject;
    });
    // A client body that fails while it is being sent fails the call, as undici's request() does.
    if (requestBody instanceof Readable) requestBody.on('error', (err) => this.onError(err));
  }

  onConnect(abort: (err?: Error) => void): void {
    if (this.cancelled) return abort(this.cancelled);
    this.abort = abort;
  }

  /** Calls `callback` once when the call has ended (at once if it already has). */
  whenFinished(callback: () => void): void {
    if (this.ended) callback();
    else this.finished = callback;
  }

  /**
   * Stops the call because nobody will read its answer (the client went away): the connection
   * is closed, or, for a call still waiting in the pool's queue, never used. A no-op once the
   * response has fully arrived.
   */
  cancel(reason: Error): void {
    if (this.complete || this.cancelled) return;
    this.cancelled = reason;
    if (this.abort) this.abort(reason);
    else this.onError(reason);
  }

  private end(): void {
    this.ended = true;
    const finished = this.finished;
    this.finished = undefined;
    finished?.();
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[], resume: () => void): boolean {
    if (statusCode < 200) return true; // 1xx: informational, the real answer follows
    this.resume = resume;
    this.bodiless = statusCode === 204 || statusCode === 304;
    const answer = this.answer!;
    this.answer = undefined;
    this.refuse = undefined;
    answer({ statusCode, headers: forwardedHeaders(rawHeaders), body: this });
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (this.stream) return this.stream.push(chunk);
    this.chunks.push(chunk);
    this.bytes += chunk.length;
    return this.bytes <= bufferedBeforeUse;
  }

  onComplete(): void {
    this.complete = true;
    if (this.stream) this.stream.push(null);
    this.end();
  }

  onError(err: Error): void {
    this.end();
    if (this.refuse) {
      const refuse = this.refuse;
      this.answer = undefined;
      this.refuse = undefined;
      refuse(err);
    } else if (this.stream) {
      this.stream.destroy(err);
    } else if (!this.settled) {
      this.failure = err;
    }
  }

  /** The body's bytes when all of them arrived, else a stream of what has and what will. */
  settle(): Readable | Buffer {
    this.settled = true;
    if (this.bodiless) {
      // undici would wait for the announced bytes: drop the connection instead (a no-op once done).
      if (!this.complete) this.abort?.(new Error('bodiless response with a body'));
      // An empty stream, not an empty buffer: a buffer's length (0) would replace the
      // Content-Length a 304 carries for the representation.
      return Readable.from([]);
    }
    if (this.complete && this.failure === undefined) {
      return this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.bytes);
    }
    const stream = new Readable({
      read: () => this.resume?.(),
      destroy: (err, callback) => {
        // The reader went away before the end: stop the backend's answer too.
        if (!this.complete) this.abort?.(err ?? new Error('response body closed'));
        callback(err);
      },
    });
    for (const chunk of this.chunks) stream.push(chunk);
    this.chunks.length = 0;
    if (this.failure) stream.destroy(this.failure);
    else if (this.complete) stream.push(null);
    this.stream = stream;
    return stream;
  }
}

/**
 * The response headers as policies see them: a raw list (name, value …: undici's buffers, or
 * the strings of Node's http parser for a WebSocket handshake's answer) in order, without
 * hop-by-hop headers and those the backend's `Connection` header lists. Names keep the backend's
 * spelling; values are read as UTF-8, as undici's own parsing does (Node's strings are latin1).
 */
export function forwardedHeaders(raw: readonly (Buffer | string)[]): HeaderMap {
  const headers = new HeaderMap();
  let listed: Set<string> | undefined;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const rawName = raw[i]!;
    const rawValue = raw[i + 1]!;
    const name = typeof rawName === 'string' ? rawName : rawName.toString('latin1');
    const value = (typeof rawValue === 'string' ? Buffer.from(rawValue, 'latin1') : rawValue).toString('utf8');
    if (name.length === 10 && name.toLowerCase() === 'connection') listed = namesListedByConnection(value, listed);
    if (!isHopByHop(name)) headers.append(name, value);
  }
  if (listed) for (const name of listed) headers.delete(name);
  return headers;
}
