/** A backend's large answer written as fast as its connection takes it, for tests of back-pressure. */
import type { ServerResponse } from 'node:http';

/**
 * Writes `total` bytes of `byte` to `res` in 64 KB chunks, waiting for 'drain' whenever `res` is
 * full, then ends it; stops early when `res` is destroyed. `progress` is told the bytes written so far.
 */
export function pumpBody(res: ServerResponse, total: number, byte: number, progress: (sent: number) => void = () => undefined): void {
  const chunk = Buffer.alloc(64 * 1024, byte);
  let sent = 0;
  const pump = (): void => {
    while (sent < total && !res.destroyed) {
      sent += chunk.length;
      progress(sent);
      if (!res.write(chunk)) return void res.once('drain', pump);
    }
    res.end();
  };
  pump();
}
