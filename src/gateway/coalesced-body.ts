/**
 * Azure's response buffering (forward-request `buffer-response="true"`, the default): a body
 * still arriving from the backend reaches the client in pieces of 8 KB at least, the last one
 * excepted. `buffer-response="false"` (for server-sent events and the like) skips this and
 * passes each piece on as it comes. A body written straight to the client (message-body.ts
 * ClientDelivery) is gathered the same way by its writer.
 */
import { pipeline, Readable, Transform } from 'node:stream';
import { isDelivery, type ArrivingBody, type ClientDelivery } from '../pipeline/message-body.js';

/** Azure's documented buffer: 8 KB unless the end of the stream comes first. */
export const responseBufferBytes = 8 * 1024;

/**
 * `body` with its streamed part gathered into pieces of `bytes` at least; a body already in
 * memory is unchanged, and one written straight to the client is gathered by its writer.
 */
export function coalescedBody(body: ArrivingBody, bytes: number = responseBufferBytes): ArrivingBody {
  return new CoalescedBody(body, bytes);
}

class CoalescedBody implements ArrivingBody {
  constructor(
    private readonly body: ArrivingBody,
    private readonly bytes: number,
  ) {}

  settle(): Readable | Buffer {
    const settled = this.body.settle();
    return Buffer.isBuffer(settled) ? settled : coalesce(settled, this.bytes);
  }

  settleForClient(minPieceBytes: number): Readable | Buffer | ClientDelivery {
    if (!this.body.settleForClient) return this.settle();
    const settled = this.body.settleForClient(Math.max(minPieceBytes, this.bytes));
    return Buffer.isBuffer(settled) || isDelivery(settled) ? settled : coalesce(settled, this.bytes);
  }
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
