/**
 * Azure's response buffering (forward-request `buffer-response="true"`, the default): a body
 * still arriving from the backend reaches the client in pieces of 8 KB at least, the last one
 * excepted. `buffer-response="false"` (for server-sent events and the like) skips this and
 * passes each piece on as it comes.
 */
import { pipeline, Readable, Transform } from 'node:stream';
import type { ArrivingBody } from '../pipeline/message-body.js';

/** Azure's documented buffer: 8 KB unless the end of the stream comes first. */
export const responseBufferBytes = 8 * 1024;

/** `body` with its streamed part gathered into pieces of `bytes` at least; a body already in memory is unchanged. */
export function coalescedBody(body: ArrivingBody, bytes: number = responseBufferBytes): ArrivingBody {
  return {
    settle(): Readable | Buffer {
      const settled = body.settle();
      return Buffer.isBuffer(settled) ? settled : coalesce(settled, bytes);
    },
  };
}

function coalesce(source: Readable, bytes: number): Readable {
  const held: Buffer[] = [];
  let length = 0;
  const out = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      held.push(chunk);
      length += chunk.length;
      if (length >= bytes) {
        this.push(held.length === 1 ? held[0] : Buffer.concat(held, length));
        held.length = 0;
        length = 0;
      }
      callback();
    },
    flush(callback) {
      if (length > 0) this.push(Buffer.concat(held, length));
      callback();
    },
  });
  // A failing backend fails the client's stream; a client that goes away stops the backend.
  pipeline(source, out, () => undefined);
  return out;
}
