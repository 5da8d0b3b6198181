/** A node:http server on a loopback port for tests that call it with their own client. */
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LoopbackHttpServer {
  server: Server;
  /** `http://127.0.0.1:<port>` */
  origin: string;
  /** Drops every connection (a held request too) and stops listening. */
  close(): Promise<void>;
}

export async function startLoopbackHttpServer(handler: RequestListener): Promise<LoopbackHttpServer> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    server,
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
