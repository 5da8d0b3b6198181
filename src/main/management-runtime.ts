/**
 * Wires the management plane (issue 3 §1, §2, §4): opens the store and runs its migrations,
 * loads the key that seals secrets, finds the admin token, and serves the ARM-shaped REST API
 * over HTTP and HTTPS (certificate files, or the development certificate in the data folder).
 */
import { readFile } from 'node:fs/promises';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { EntityStore } from '../core/entity-store.js';
import type { Logger } from '../core/logger.js';
import type { SecretProvider } from '../core/secret-provider.js';
import { checkPrivateFile } from '../core/private-file.js';
import { createManagementHandler } from '../management/arm/management-handler.js';
import { createGatewayProtocolHandler, isGatewayProtocolRequest } from '../management/gateway-protocol/gateway-protocol-handler.js';
import type { TraceLookup } from '../core/request-traces.js';
import type { ServiceEndpoints } from '../management/arm/service-resource.js';
import { createSecretResolver } from '../secrets/secret-resolver.js';
import { openSecretBox } from '../store/encryption-key.js';
import type { SecretBox } from '../store/secret-box.js';
import { resolveAdminToken, type AdminToken } from './admin-token.js';
import { devCertificate } from './dev-certificate.js';
import { isMetricsRequest, serveMetrics } from './metrics-endpoint.js';
import type { MetricsSource } from './metrics-source.js';
import type { ManagementOptions } from './management-options.js';
import { openEntityStore } from './open-entity-store.js';
import { startSecretRefresher } from './secret-refresher.js';
import { closeServer, listenOn } from '../network/server-socket.js';
import type { RelayedClientAddress } from '../management/arm/relayed-client-address.js';
import { createAdminConsole } from '../portal/admin-console.js';
import { consoleBasePath } from '../portal/console-page.js';

export interface ManagementPlane {
  store: EntityStore;
  box: SecretBox;
  adminToken: AdminToken;
  /** Where the store is (no password). */
  storeDescription: string;
  httpUrl: string;
  httpsUrl: string;
  /** The certificate file HTTPS clients trust (the development one, or the given one). */
  certificateFile: string;
  /** Whether the development certificate was generated at this start. */
  certificateGenerated: boolean;
  /** Reads Key Vault named values' secrets (the one the management API and the refresh use). */
  secrets: SecretProvider;
  /** Filled in by the caller once the gateway listens; the service resource reports them. */
  endpoints: ServiceEndpoints;
  /** What `GET /metrics` serves from now on; null (the start) answers that metrics are off. */
  serveMetrics(source: MetricsSource | null): void;
  /** The lines `start` prints about the management plane. */
  banner(): string[];
  close(): Promise<void>;
}

/** Opens the store and starts the management API's listeners. */
export async function startManagementPlane(options: {
  management: ManagementOptions;
  dataDir: string;
  host: string;
  serviceName: string;
  logger: Logger;
  /** The gateway's request traces, answered by listTrace (docs/tracing.md). */
  traces?: TraceLookup;
  /** How the developer portal names its visitors' addresses (relayed-client-address.ts). */
  relayedAddress?: RelayedClientAddress;
}): Promise<ManagementPlane> {
  const { management, dataDir, host, logger } = options;
  const { box, source: keySource, path: keyPath } = await openSecretBox({ dataDir });
  const adminToken = await resolveAdminToken({ dataDir, given: management.adminToken });
  const certificate = management.certificate
    ? {
        certFile: management.certificate.certFile,
        cert: await readNamed(management.certificate.certFile, 'certificate'),
        key: await readPrivateKey(management.certificate.keyFile),
        generated: false,
      }
    : await devCertificate(dataDir, host);
  const opened = await openEntityStore(management.store, dataDir);
  const endpoints: ServiceEndpoints = {};
  // Key Vault named values: `env:` and `file:` read only what the operator allowed, and never the
  // data folder (the encryption key, the admin token).
  const secrets = createSecretResolver({ deniedFolders: [dataDir], allowed: management.secretSources });
  const adminConsole = createAdminConsole({ adminToken: adminToken.token, serviceName: options.serviceName, logger });
  const armHandler = createManagementHandler({
    store: opened.store,
    serviceName: options.serviceName,
    adminToken: adminToken.token,
    sealer: box,
    secrets,
    endpoints,
    logger,
    traces: options.traces,
    // Self-hosted gateways' heartbeats: in the store beside the entities, never bumping its version.
    heartbeats: opened.store,
    sessionAccess: adminConsole.sessionAccess,
    clientAddress: options.relayedAddress?.addressOf,
  });
  const gatewayProtocol = createGatewayProtocolHandler({ store: opened.store, sealer: box, serviceName: options.serviceName, heartbeats: opened.store, logger });
  const refresher = startSecretRefresher({ store: opened.store, sealer: box, secrets, serviceName: options.serviceName, logger, intervalMs: management.secretRefreshMs });
  let metrics: MetricsSource | null = null;
  // `/metrics` and the self-hosted gateway protocol are not ARM paths: answered here, before the
  // ARM handler (metrics-endpoint.ts, docs/self-hosted-gateway.md).
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    if (isMetricsRequest(req)) void serveMetrics(req, res, adminToken.token, metrics);
    else if (isGatewayProtocolRequest(req)) gatewayProtocol(req, res);
    else if (adminConsole.handles(req)) adminConsole.serve(req, res);
    else armHandler(req, res);
  };
  const servers: Server[] = [];
  const close = async (): Promise<void> => {
    await refresher.close();
    await Promise.all(servers.map(closeServer));
    await opened.store.close();
  };
  let httpUrl: string;
  let httpsUrl: string;
  try {
    const http = createHttpServer({ keepAliveTimeout: 65_000 }, handler);
    servers.push(http);
    httpUrl = await listen(http, 'http', host, management.httpPort);
    let https;
    try {
      https = createHttpsServer({ cert: certificate.cert, key: certificate.key, keepAliveTimeout: 65_000 }, handler);
    } catch (err) {
      throw new Error(`The management certificate (${certificate.certFile}) is not usable: ${(err as Error).message}`);
    }
    servers.push(https);
    httpsUrl = await listen(https, 'https', host, management.httpsPort);
  } catch (err) {
    await close();
    throw err;
  }
  endpoints.managementApiUrl = httpsUrl;
  logger.info({ keySource, keyPath }, 'secrets at rest sealed with the encryption key');
  return {
    store: opened.store,
    box,
    secrets,
    adminToken,
    storeDescription: opened.description,
    httpUrl,
    httpsUrl,
    certificateFile: certificate.certFile,
    certificateGenerated: certificate.generated,
    endpoints,
    serveMetrics(source) {
      metrics = source;
    },
    banner() {
      const lines = [
        `  management API (http): ${httpUrl}`,
        `  management API (https): ${httpsUrl}`,
        `  admin console: ${httpUrl}${consoleBasePath} (sign in with the admin token)`,
        `  management certificate: ${certificate.certFile}${management.certificate ? '' : ' (self-signed development certificate; trust this file or pass --management-certificate)'}`,
      ];
      if (adminToken.source === 'option') lines.push('  admin token: from --admin-token (GATEHOUSE_ADMIN_TOKEN)');
      else lines.push(`  admin token file: ${adminToken.path}${adminToken.source === 'generated' ? ' (generated now)' : ''}`);
      lines.push(`  store: ${opened.description}`);
      return lines;
    },
    close,
  };
}

/** The --management-certificate key: read, then refused when others may read it (core/private-file.ts). */
async function readPrivateKey(path: string): Promise<string> {
  const key = await readNamed(path, 'private key');
  checkPrivateFile(path, 'management private key');
  return key;
}

async function readNamed(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    throw new Error(`Cannot read the management ${what} file ${path}: ${(err as Error).message}`);
  }
}

async function listen(server: Server, scheme: 'http' | 'https', host: string, port: number): Promise<string> {
  return (await listenOn(server, scheme, host, port, scheme === 'http' ? '--management-port' : '--management-https-port')).url;
}
