/**
 * MessageBody.read with a size limit: within it the content is kept; past it the read fails,
 * keeps nothing, and leaves the stream drained (ended, not destroyed) so the connection it came
 * on can still carry the answer.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { PassThrough, Readable } from 'node:stream';
import { BodyTooLargeError, MessageBody } from '../../src/pipeline/message-body.js';

/** A stream of `count` chunks of `size` bytes each. */
function chunks(count: number, size: number): Readable {
  return Readable.from(Array.from({ length: count }, () => Buffer.alloc(size, 0x61)), { objectMode: false });
}

describe('MessageBody.read within a limit', () => {
  it('reads a stream up to the limit exactly and keeps it for forwarding', async () => {
    const body = new MessageBody(chunks(4, 1024));
    const content = await body.read(true, 4096);
    assert.equal(content.length, 4096);
    assert.equal(body.knownLength, 4096);
    assert.equal((body.payload() as Buffer).length, 4096);
  });

  it('fails past the limit, drains the rest without keeping it, and fails again on a second read', async () => {
    const stream = new PassThrough();
    const body = new MessageBody(stream);
    const reading = body.read(true, 4096);
    stream.write(Buffer.alloc(3000));
    stream.write(Buffer.alloc(3000));
    await assert.rejects(reading, (err: unknown) => err instanceof BodyTooLargeError && err.limitBytes === 4096);
    // The writer can finish: the rest flows into nothing, and the stream ends normally.
    const ended = once(stream, 'end');
    for (let i = 0; i < 100; i++) stream.write(Buffer.alloc(64 * 1024));
    stream.end();
    await ended;
    assert.equal(body.payload(), null, 'nothing kept to forward');
    await assert.rejects(body.read(true, Infinity), BodyTooLargeError);
  });

  it('refuses already-buffered content longer than the limit', async () => {
    const body = new MessageBody('x'.repeat(10));
    await assert.rejects(body.read(true, 9), BodyTooLargeError);
    assert.equal((await body.read(true, 10)).length, 10);
  });

  it('passes a stream error on and reports a stream that closes before its end', async () => {
    const failing = new PassThrough();
    const failed = new MessageBody(failing).read(true, 100);
    failing.destroy(new Error('reset by peer'));
    await assert.rejects(failed, { message: 'reset by peer' });
    const cut = new PassThrough();
    const cutRead = new MessageBody(cut).read(true, 100);
    cut.write('abc');
    cut.destroy();
    await assert.rejects(cutRead, { message: 'The body stream closed before its end.' });
  });
});

describe('MessageBody.read of a stream destroyed before the read', () => {
  it('fails at once instead of waiting for a close that has already happened', async () => {
    const stream = new PassThrough();
    stream.write(Buffer.alloc(10));
    stream.destroy();
    await once(stream, 'close');
    await assert.rejects(new MessageBody(stream).read(true, 4096), /The body stream closed before its end\./);
  });

  it("fails with the stream's own error when it was destroyed with one", async () => {
    const stream = new PassThrough();
    stream.on('error', () => undefined);
    const closed = new Promise((resolve) => stream.once('close', resolve));
    stream.destroy(new Error('socket hang up'));
    await closed;
    await assert.rejects(new MessageBody(stream).read(true, 4096), /socket hang up/);
  });

  it('gives a second reader that comes while the stream is read the same content', async () => {
    const stream = new PassThrough();
    const body = new MessageBody(stream);
    const first = body.read(true, 4096);
    const second = body.read(true, 4096);
    stream.end('the caller body');
    assert.deepEqual([(await first).toString(), (await second).toString()], ['the caller body', 'the caller body']);
  });
});
