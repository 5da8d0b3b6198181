/**
 * The gateway's public listeners: plain HTTP and, when certificates are configured, HTTPS with
 * SNI. Port 0 picks a free port; the chosen ports are reported back.
 */
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { GatewayRequestHandler } from '../gateway/request-handler.js';
import { closeServer, listenOn } from './server-socket.js';
import { loadCertificates, selectCertificate, type CertificateBinding } from './tls-certificates.js';

export interface GatewayListenerOptions {
  host: string;
  httpPort: number | null;
  httpsPort: number | null;
  certificates: readonly CertificateBinding[];
}

export interface RunningListener {
  scheme: 'http' | 'https';
  host: string;
  port: number;
  url: string;
  server: Server;
}

export interface GatewayListeners {
  listeners: RunningListener[];
  close(): Promise<void>;
}

/** Opens the listeners; rejects with a clear message when a port is taken or a file unreadable. */
export async function startGatewayListeners(options: GatewayListenerOptions, handler: GatewayRequestHandler): Promise<GatewayListeners> {
  const listeners: RunningListener[] = [];
  const close = async () => {
    await Promise.all(listeners.map((l) => closeServer(l.server)));
  };
  try {
    if (options.httpPort !== null) {
      const server = createHttpServer({ keepAliveTimeout: 65_000 }, handler);
      listeners.push(await listen(server, 'http', options.host, options.httpPort));
    }
    if (options.httpsPort !== null) {
      if (options.certificates.length === 0) throw new Error('An HTTPS port was given without any certificate (--gateway-certificate).');
      const certificates = loadCertificates(options.certificates);
      const fallback = selectCertificate(certificates, undefined)!;
      const server = createHttpsServer(
        {
          cert: fallback.cert,
          key: fallback.key,
          keepAliveTimeout: 65_000,
          SNICallback: (servername, done) => done(null, selectCertificate(certificates, servername)?.context),
        },
        handler,
      );
      listeners.push(await listen(server, 'https', options.host, options.httpsPort));
    }
  } catch (err) {
    await close();
    throw err;
  }
  return { listeners, close };
}

async function listen(server: Server, scheme: 'http' | 'https', host: string, port: number): Promise<RunningListener> {
  const opened = await listenOn(server, scheme, host, port);
  return { scheme, host, port: opened.port, url: opened.url, server };
}
