/**
 * `start`'s developer portal (docs/portal.md): its own HTTP listener on `--portal-port`, a client
 * of the management API this process serves. Here the portal gets what only this process has:
 * the anonymous visitor's token (minted with the store's tenant access keys) and the secret that
 * lets it name its visitors' addresses to the management API's sign-in limit. The OpenID Connect
 * sign-in (oidc-sign-in.ts) is mounted once the listener's address, its redirect URIs' origin,
 * is known.
 */
import { createServer, type Server } from 'node:http';
import type { Logger } from '../core/logger.js';
import { mintAnonymousVisitorToken } from '../management/arm/anonymous-visitor-token.js';
import type { RelayedClientAddress } from '../management/arm/relayed-client-address.js';
import { consoleServicePath } from '../portal/admin-console.js';
import { createDeveloperPortal, type DeveloperPortalOptions } from '../portal/developer-portal.js';
import { createOidcSignIn } from '../portal/oidc-sign-in.js';
import { closeServer, listenOn } from '../network/server-socket.js';
import type { ManagementPlane } from './management-runtime.js';

export interface PortalRuntime {
  url: string;
  close(): Promise<void>;
}

/** Starts the portal's listener on `host:port`. */
export async function startPortal(options: {
  plane: ManagementPlane;
  host: string;
  port: number;
  serviceName: string;
  /** The gateway the try-it console calls. */
  gatewayUrl: string;
  relayedAddress: RelayedClientAddress;
  logger: Logger;
}): Promise<PortalRuntime> {
  const { plane } = options;
  const serviceUrl = `${plane.httpUrl}${consoleServicePath(options.serviceName)}`;
  const extensions: Array<NonNullable<DeveloperPortalOptions['extensions']>[number]> = [];
  const portal = createDeveloperPortal({
    serviceUrl,
    gatewayUrl: options.gatewayUrl,
    async visitorAuthorization() {
      const token = await mintAnonymousVisitorToken(plane.store, plane.box, new Date());
      return token === undefined ? undefined : `SharedAccessSignature ${token}`;
    },
    clientAddressHeaders: (address) => options.relayedAddress.headersFor(address),
    extensions,
    logger: options.logger,
  });
  const server: Server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => portal.serve(req, res));
  const { url } = await listenOn(server, 'http', options.host, options.port, '--portal-port');
  extensions.push(
    createOidcSignIn({
      serviceUrl,
      portalOrigin: url,
      completeSignIn: (req, res, user) => portal.completeSignIn(req, res, user),
      clientAddressHeaders: (address) => options.relayedAddress.headersFor(address),
      logger: options.logger,
    }),
  );
  return { url, close: () => closeServer(server) };
}
