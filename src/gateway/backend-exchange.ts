/**
 * One call to a backend through undici's lowest-level API (`dispatch` with a handler of our
 * own), instead of `request()`: no AsyncResource, no header object parsed only to be copied into
 * a HeaderMap, and no response stream unless the body is still arriving when the pipeline asks
 * for it. The response headers become the policies' HeaderMap in one pass over undici's raw list,
 * hop-by-hop headers and those `Connection` lists left out.
 */
import type { ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import { HeaderMap } from '../pipeline/header-map.js';
import type { ArrivingBody, ClientDelivery } from '../pipeline/message-body.js';
import { clientGone } from './client-response.js';
import { extraNamesListedByConnection, isHopByHopLowerCase } from './hop-by-hop.js';

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
 * before them) and is then the response body: it keeps the chunks until it is settled, then
 * streams them, or writes them straight to the client's response (`settleForClient`, `deliverTo`).
 * It implements undici's first handler callbacks (onConnect, onHeaders …), which undici 7 marks
 * deprecated but its core still calls as they are: a handler of the newer controller interface
 * would be wrapped on every call and get the headers parsed into an object, losing the raw list
 * read here in one pass. Only a call that follows redirects goes through that interface
 * (redirect-following-exchange.ts).
 */
export class BackendExchange implements Dispatcher.DispatchHandler, ArrivingBody, ClientDelivery {
  private abort: ((err: Error) => void) | undefined;
  /** Why the call was cancelled before undici gave it a connection (it is aborted on getting one). */
  private cancelled: Error | undefined;
  /** True once the call ended, whichever way (completed, failed or cancelled). */
  private ended = false;
  /** The client response whose closing cancels the call, while its one 'close' listener is on. */
  private client: ServerResponse | undefined;
  /** The response the body is written to (deliverTo), in pieces of `minPiece` bytes at least. */
  private target: ServerResponse | undefined;
  private minPiece = 0;
  /** Waiting for the target's 'drain' before the backend may send more. */
  private draining = false;
  /** Resolves deliverTo's promise: when the target closed. */
  private delivered: (() => void) | undefined;
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

  onConnect(abort: (err: Error) => void): void {
    if (this.cancelled) return abort(this.cancelled);
    this.abort = abort;
  }

  /**
   * Cancels the call when `client` closes before its response is complete (the pool connection
   * is freed). One 'close' listener, removed when the call ends, or, when the body is written
   * straight to `client`, kept until it closes (which ends the writing).
   */
  watchClient(client: ServerResponse): void {
    this.client = client;
    client.once('close', this.clientClosed);
  }

  private readonly clientClosed = (): void => {
    const client = this.client;
    this.client = undefined;
    if (!this.ended && client && clientGone(client)) this.cancel(new ClientGoneError());
    const delivered = this.delivered;
    this.delivered = undefined;
    delivered?.();
  };

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
    // A body written to the client keeps the listener: the response's close ends the writing.
    if (this.client && !this.delivered) {
      this.client.off('close', this.clientClosed);
      this.client = undefined;
    }
  }

  onHeaders(statusCode: number, rawHeaders: readonly (Buffer | string)[], resume: () => void): boolean {
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
    if (this.target) return this.writeToClient(chunk);
    if (this.stream) return this.stream.push(chunk);
    this.chunks.push(chunk);
    this.bytes += chunk.length;
    return this.bytes <= bufferedBeforeUse;
  }

  onComplete(): void {
    this.complete = true;
    if (this.target) {
      if (this.bytes > 0) this.target.end(this.takeHeld());
      else this.target.end();
    } else if (this.stream) this.stream.push(null);
    this.end();
  }

  onError(err: Error): void {
    this.end();
    if (this.refuse) {
      const refuse = this.refuse;
      this.answer = undefined;
      this.refuse = undefined;
      refuse(err);
    } else if (this.target) {
      // The client sees its response cut off, as when a stream fails (response-writer.ts).
      this.chunks.length = 0;
      this.bytes = 0;
      this.target.destroy();
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

  /**
   * As `settle`, except that a body still arriving (neither failed nor bodiless) is handed over
   * as this exchange, to be written straight to the client in pieces of `minPieceBytes` at least.
   */
  settleForClient(minPieceBytes: number): Readable | Buffer | ClientDelivery {
    if (this.complete || this.bodiless || this.failure !== undefined) return this.settle();
    this.settled = true;
    this.minPiece = minPieceBytes;
    return this;
  }

  deliverTo(res: ServerResponse): Promise<void> {
    if (res.destroyed) {
      // Gone already (its close may have passed): nobody will read the rest.
      this.cancel(new ClientGoneError());
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.delivered = resolve;
      this.target = res;
      if (this.client !== res) {
        if (this.client) this.client.off('close', this.clientClosed);
        this.watchClient(res);
      }
      // What came before: written now if it makes a piece, and the backend, which may have been
      // held at `bufferedBeforeUse`, sends on once the client has room.
      if (this.bytes > 0 && this.bytes >= this.minPiece && !this.target.write(this.takeHeld())) this.waitForDrain();
      else this.resume?.();
    });
  }

  /** Writes one chunk of the backend's to the client; false (the backend waits) while the client is full. */
  private writeToClient(chunk: Buffer): boolean {
    let piece = chunk;
    if (this.minPiece > 0) {
      this.chunks.push(chunk);
      this.bytes += chunk.length;
      if (this.bytes < this.minPiece) return true;
      piece = this.takeHeld();
    }
    if (this.target!.write(piece) && !this.draining) return true;
    this.waitForDrain();
    return false;
  }

  private waitForDrain(): void {
    if (this.draining) return;
    this.draining = true;
    this.target!.once('drain', () => {
      this.draining = false;
      // After the end the connection may serve another call: its parser is not ours to resume.
      if (!this.ended) this.resume?.();
    });
  }

  /** The held chunks as one piece, no longer held. */
  private takeHeld(): Buffer {
    const piece = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.bytes);
    this.chunks.length = 0;
    this.bytes = 0;
    return piece;
  }
}

/** The reason a backend call is cancelled when its client went away. */
export class ClientGoneError extends Error {
  constructor() {
    super('The client closed the connection before the response was complete.');
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
    // toString() without arguments is UTF-8, decoded without looking the encoding up.
    const value = (typeof rawValue === 'string' ? Buffer.from(rawValue, 'latin1') : rawValue).toString();
    // Lower-cased once, for the hop-by-hop test and as the map's key.
    const lower = name.toLowerCase();
    if (!isHopByHopLowerCase(lower)) headers.appendLowerCased(lower, name, value);
    else if (lower === 'connection') listed = extraNamesListedByConnection(value, listed);
  }
  if (listed) for (const name of listed) headers.delete(name);
  return headers;
}
