/**
 * The gateway's listening servers: plain HTTP and, when certificates are configured, HTTPS with
 * SNI. Every listener the network listener set opens (public, private endpoint, VNet) is a
 * server made here, so all of them answer with the same handler and the same certificates, and
 * all of them proxy WebSocket handshakes. Host names marked `--negotiate-client-certificate` ask
 * their callers for a client certificate (client-certificate-request.ts).
 */
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { GatewayRequestHandler } from '../gateway/request-handler.js';
import { createUpgradeListener } from '../gateway/websocket/upgrade-listener.js';
import type { SecureContext, TLSSocket } from 'node:tls';
import { askForClientCertificate } from './client-certificate-request.js';
import { loadCertificates, selectCertificate, type CertificateBinding } from './tls-certificates.js';

/** `--host`, the gateway ports (null: that scheme is off; 0: pick a free port) and the HTTPS certificates. */
export interface GatewayListenerOptions {
  host: string;
  httpPort: number | null;
  httpsPort: number | null;
  certificates: readonly CertificateBinding[];
}

export type ListenerScheme = 'http' | 'https';

/** Makes a (not yet listening) server for a scheme. */
export type GatewayServerFactory = (scheme: ListenerScheme) => Server;

/** The schemes the options turn on, http first. */
export function configuredSchemes(options: GatewayListenerOptions): ListenerScheme[] {
  const schemes: ListenerScheme[] = [];
  if (options.httpPort !== null) schemes.push('http');
  if (options.httpsPort !== null) schemes.push('https');
  return schemes;
}

/** Loads the certificates once and returns the server factory; throws a clear message for an unusable certificate. */
export function gatewayServerFactory(options: GatewayListenerOptions, handler: GatewayRequestHandler): GatewayServerFactory {
  if (options.httpsPort !== null && options.certificates.length === 0) {
    throw new Error('An HTTPS port was given without any certificate (--gateway-certificate).');
  }
  const certificates = options.httpsPort !== null ? loadCertificates(options.certificates) : [];
  // WebSocket handshakes (and other upgrades) reach the same handler (upgrade-listener.ts).
  const upgrade = createUpgradeListener(handler);
  return (scheme) => {
    if (scheme === 'http') return createHttpServer({ keepAliveTimeout: 65_000 }, handler).on('upgrade', upgrade);
    const fallback = selectCertificate(certificates, undefined)!;
    // Node calls it with the TLS socket as `this`.
    function chooseBySni(this: TLSSocket, servername: string, done: (err: Error | null, ctx?: SecureContext) => void): void {
      const chosen = selectCertificate(certificates, servername);
      try {
        askForClientCertificate(this, chosen?.negotiateClientCertificate ?? false);
      } catch (err) {
        return done(err as Error);
      }
      done(null, chosen?.context);
    }
    return createHttpsServer(
      {
        cert: fallback.cert,
        key: fallback.key,
        keepAliveTimeout: 65_000,
        // A caller without SNI gets the default certificate and its negotiation setting.
        requestCert: fallback.negotiateClientCertificate,
        // Any certificate completes the handshake: policies decide (validate-client-certificate).
        rejectUnauthorized: false,
        SNICallback: chooseBySni as unknown as (servername: string, cb: (err: Error | null, ctx?: SecureContext) => void) => void,
      },
      handler,
    ).on('upgrade', upgrade);
  };
}
