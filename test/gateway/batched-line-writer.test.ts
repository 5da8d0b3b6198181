/**
 * The batched line writer (src/gateway/batched-line-writer.ts) against the pino destination the
 * access log used before (same settings): the same random lines, written over several event-loop
 * turns, give byte-identical files; nothing reaches the file before the end of the turn; close
 * writes what is held and closes the file; a failed descriptor drops lines without throwing.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, openSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pinoModule from 'pino';
import { BatchedLineWriter } from '../../src/gateway/batched-line-writer.js';

function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
}

/** Lines of random length (a few longer than 64 KiB) with multi-byte characters. */
function randomLines(seed: number, count: number): string[] {
  const random = generator(seed);
  const alphabet = ['a', 'b', 'é', '→', '😀', '"', ' '];
  return Array.from({ length: count }, (_, i) => {
    const length = random() < 0.01 ? 70_000 : Math.floor(random() * 600);
    let body = '';
    for (let c = 0; c < length; c++) body += alphabet[Math.floor(random() * alphabet.length)];
    return `{"n":${i},"s":"${body}"}\n`;
  });
}

async function writeInTurns(sink: { write(line: string): unknown }, lines: string[], seed: number): Promise<void> {
  const random = generator(seed);
  for (const line of lines) {
    sink.write(line);
    if (random() < 0.05) await new Promise((r) => setImmediate(r));
  }
}

const seed = Number(process.env.WRITER_SEED ?? Date.now() % 1_000_000);
const dir = mkdtempSync(join(tmpdir(), 'gatehouse-batched-writer-'));

describe('batched line writer', () => {
  it(`writes the same bytes in the same order as the pino destination did (seed ${seed})`, async () => {
    const lines = randomLines(seed, 3_000);
    const oldFile = join(dir, `old-${seed}.log`);
    const newFile = join(dir, `new-${seed}.log`);
    const old = pinoModule.destination({ dest: openSync(oldFile, 'a'), sync: false, minLength: 2048, maxWrite: 4096, periodicFlush: 250 });
    await writeInTurns(old, lines, seed);
    await new Promise<void>((resolve) => {
      old.once('close', () => resolve());
      old.end();
    });
    for (const maxBatch of [4096, 64 * 1024]) {
      const file = `${newFile}.${maxBatch}`;
      const writer = new BatchedLineWriter(openSync(file, 'a'), maxBatch, true);
      await writeInTurns(writer, lines, seed);
      await writer.close();
      const written = readFileSync(file);
      assert.equal(written.length, Buffer.byteLength(lines.join('')), `batch ${maxBatch}`);
      assert.ok(written.equals(readFileSync(oldFile)), `batch ${maxBatch}: the same bytes as before`);
    }
  });

  it('writes a turn\'s lines without waiting for more, close writes the rest, a line after close is dropped', async () => {
    const file = join(dir, 'turn.log');
    const writer = new BatchedLineWriter(openSync(file, 'a'), 64 * 1024, true);
    writer.write('one\n');
    writer.write('two\n');
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(readFileSync(file, 'utf8'), 'one\ntwo\n');
    writer.write('three\n');
    await writer.close();
    assert.equal(readFileSync(file, 'utf8'), 'one\ntwo\nthree\n');
    writer.write('after close\n');
    await writer.close();
    assert.equal(readFileSync(file, 'utf8'), 'one\ntwo\nthree\n');
  });

  it('drops lines, without throwing, when the descriptor fails', async () => {
    const errors: Error[] = [];
    const writer = new BatchedLineWriter(987_654, 4096, false, (err) => errors.push(err));
    writer.write('lost\n');
    await writer.close();
    assert.equal(errors.length, 1);
    assert.equal((errors[0] as NodeJS.ErrnoException).code, 'EBADF');
    writer.write('also lost\n');
  });
});
