/** A pino destination that keeps each JSON line written to it, parsed, for a test to read. */
import { Writable } from 'node:stream';

export type LogLine = Record<string, any>;

/** The stream to hand pino and the lines written to it so far. */
export function jsonLogLines(): { sink: Writable; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const text of chunk.toString('utf8').split('\n')) if (text !== '') lines.push(JSON.parse(text) as LogLine);
      done();
    },
  });
  return { sink, lines };
}
