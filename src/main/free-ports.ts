/**
 * `start` checks that the ports it was given are free before it writes anything (data folder,
 * keys, the sample in a new store), so a taken port fails with the option that named it and
 * leaves nothing behind. Port 0 (any free port) needs no check.
 */
import { createServer } from 'node:http';
import { closeServer, listenOn } from '../network/server-socket.js';

/** A port to check and the option it came from (`--gateway-port` or `GATEHOUSE_GATEWAY_PORT`). */
export interface PortToCheck {
  port: number;
  source: string;
}

/** Binds and releases each port in turn; rejects with `Port N on HOST is already in use (SOURCE).` */
export async function checkPortsFree(host: string, ports: readonly PortToCheck[]): Promise<void> {
  for (const { port, source } of ports) {
    if (port === 0) continue;
    const server = createServer();
    await listenOn(server, 'http', host, port, source);
    await closeServer(server);
  }
}
