/** Azure's response buffering: a streamed body is passed on in pieces of 8 KB at least, the last excepted. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { coalescedBody, responseBufferBytes } from '../../src/gateway/coalesced-body.js';

/** The sizes of the pieces as a flowing reader (the response writer's pipe) gets them. */
function pieces(stream: Readable): Promise<number[]> {
  const out: number[] = [];
  return new Promise((resolve, reject) => {
    stream.on('data', (chunk: Buffer) => out.push(chunk.length));
    stream.on('end', () => resolve(out));
    stream.on('error', reject);
  });
}

describe('coalesced body', () => {
  it('gathers small pieces until 8 KB, and gives the rest at the end', async () => {
    const source = Readable.from([100, 100, 9000, 5, 8192, 7].map((n) => Buffer.alloc(n, 1)), { objectMode: false });
    const body = coalescedBody({ settle: () => source }).settle() as Readable;
    assert.equal(responseBufferBytes, 8192);
    assert.deepEqual(await pieces(body), [9200, 8197, 7]);
  });

  it('leaves a body that had fully arrived as it is', () => {
    const whole = Buffer.from('done');
    assert.equal(coalescedBody({ settle: () => whole }).settle(), whole);
  });

  it('fails the gathered stream when the backend stream fails', async () => {
    const source = new Readable({ read() {} });
    const body = coalescedBody({ settle: () => source }).settle() as Readable;
    source.push(Buffer.alloc(10));
    source.destroy(new Error('backend went away'));
    await assert.rejects(pieces(body), /backend went away/);
  });
});
