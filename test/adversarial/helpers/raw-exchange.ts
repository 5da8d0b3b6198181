/**
 * One HTTP/1.1 exchange over a raw TCP socket: the request bytes go out exactly as given (no
 * client library normalising the path or refusing a header), and the answer is read to the end
 * of the connection, so a test sees the status line exactly as the gateway wrote it.
 */
import { connect } from 'node:net';

export interface RawAnswer {
  /** The first line, e.g. `HTTP/1.1 400 Bad Request`. */
  statusLine: string;
  status: number;
  /** Header names lower-cased; a repeated header keeps its last value. */
  headers: Record<string, string>;
  body: Buffer;
  /** Everything received, interim (1xx) answers included. */
  raw: Buffer;
}

/** Sends `head` (and `body`) to host:port with `Connection: close` semantics and reads the final answer. */
export function rawExchange(port: number, head: string, body: Buffer = Buffer.alloc(0)): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('end', () => {
      socket.end();
      try {
        resolve(parseFinalAnswer(Buffer.concat(chunks)));
      } catch (err) {
        reject(err);
      }
    });
    socket.write(head);
    if (body.length > 0) socket.write(body);
  });
}

/** Splits received bytes into the last answer's status line, headers and body (1xx answers skipped). */
export function parseFinalAnswer(raw: Buffer): RawAnswer {
  let offset = 0;
  for (;;) {
    const end = raw.indexOf('\r\n\r\n', offset);
    if (end === -1) throw new Error(`no complete response head in: ${JSON.stringify(raw.toString('latin1').slice(0, 200))}`);
    const lines = raw.subarray(offset, end).toString('latin1').split('\r\n');
    const statusLine = lines[0]!;
    const status = Number(statusLine.split(' ')[1]);
    if (status >= 100 && status < 200) {
      offset = end + 4;
      continue;
    }
    const headers: Record<string, string> = {};
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(':');
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    return { statusLine, status, headers, body: raw.subarray(end + 4), raw };
  }
}
