/** Waits until a TCP port on 127.0.0.1 accepts connections (for servers that print nothing when ready). */
import { connect } from 'node:net';

function tryConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Resolves once `port` accepts a connection; rejects after `timeoutMs` or when `gaveUp` resolves first. */
export async function waitForPort(port: number, timeoutMs: number, gaveUp?: Promise<unknown>): Promise<void> {
  let stopped = false;
  void gaveUp?.then(() => (stopped = true));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (stopped) throw new Error(`the process meant to listen on port ${port} exited`);
    if (await tryConnect(port)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nothing listened on 127.0.0.1:${port} within ${timeoutMs} ms`);
}
