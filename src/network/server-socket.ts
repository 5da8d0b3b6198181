/**
 * Opening and closing a listening server the same way for every listener (gateway and
 * management): a taken port is a clear message naming the flag, port 0 reports the chosen port.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { destroyUpgradedConnections } from '../gateway/websocket/upgrade-listener.js';

/** Listens on host:port; resolves with the URL to print (`[::1]`, 0.0.0.0 shown as 127.0.0.1). */
export async function listenOn(server: Server, scheme: 'http' | 'https', host: string, port: number, flag?: string): Promise<{ port: number; url: string }> {
  await new Promise<void>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException): void => {
      const which = flag ? ` (${flag})` : '';
      // The system error stays the cause: the network listener set words its reports by its code.
      const text = err.code === 'EADDRINUSE' ? `Port ${port} on ${host} is already in use${which}.` : `Cannot listen on ${host}:${port}: ${err.message}`;
      reject(new Error(text, { cause: err }));
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const actual = (server.address() as AddressInfo).port;
  const shownHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  return { port: actual, url: `${scheme}://${shownHost}:${actual}` };
}

/** Stops listening and ends every open connection, keep-alive and upgraded (WebSocket) ones included. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
    destroyUpgradedConnections(server);
  });
}
