/**
 * The self-hosted gateway protocol on the management listeners (docs/self-hosted-gateway.md,
 * "Protocol"): `GET /gateway/configuration` answers the calling gateway's configuration
 * (gateway-scoped-config.ts, encoded by model/service-config-codec.ts) with an ETag, and a 304
 * to an `If-None-Match` naming it, so a gateway may poll every second for almost nothing;
 * `POST /gateway/heartbeat` records an instance's heartbeat in the store. Both take Azure's
 * `Authorization: GatewayKey …` token only (gateway-key-auth.ts), never the admin token.
 * The service's configuration is read from the store once per store version and shared by every
 * gateway; each gateway's cut and ETag are kept per version too.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EntityStore } from '../../core/entity-store.js';
import type { GatewayHeartbeatStore } from '../../core/gateway-heartbeat-store.js';
import type { Logger } from '../../core/logger.js';
import { encodeServiceConfig } from '../../model/service-config-codec.js';
import type { ServiceConfig } from '../../model/resources.js';
import { ArmError } from '../arm/arm-error.js';
import { etagHeader, parseMatchHeader } from '../arm/etag.js';
import { armErrorResponse, sendArmResponse } from '../arm/management-handler.js';
import { readJsonBody } from '../arm/request-body.js';
import type { SecretSealer } from '../arm/secret-sealer.js';
import { readStoreConfig } from '../store-config/read-store-config.js';
import { authenticateGateway, GatewayAuthError, type AuthenticatedGateway } from './gateway-key-auth.js';
import { readHeartbeatReport } from './gateway-heartbeats.js';
import { gatewayScopedConfig } from './gateway-scoped-config.js';
import { configVersionHeader, gatewayConfigurationPath, gatewayHeartbeatPath } from './gateway-protocol-paths.js';


const heartbeatBodyLimit = 4096;

export interface GatewayProtocolOptions {
  store: EntityStore;
  sealer: Pick<SecretSealer, 'open'>;
  serviceName: string;
  heartbeats: GatewayHeartbeatStore;
  logger: Logger;
  now?: () => Date;
}

/** Whether a request is for the protocol's paths (any method; the query string is ignored). */
export function isGatewayProtocolRequest(req: IncomingMessage): boolean {
  const path = (req.url ?? '').split('?')[0]!;
  return path === gatewayConfigurationPath || path === gatewayHeartbeatPath;
}

/** A gateway's configuration at one store version: the encoded text and its ETag. */
interface Served {
  version: number;
  /** The gateway resource's ETag when cut: it changes when a key is regenerated. */
  gatewayEtag: string;
  text: string;
  etag: string;
}

/** Creates the protocol's request listener. */
export function createGatewayProtocolHandler(options: GatewayProtocolOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const now = options.now ?? (() => new Date());
  let whole: { version: number; config: Promise<ServiceConfig> } | null = null;
  const servedByGateway = new Map<string, Served>();

  /** The service's configuration at the store's current version, read once per version. */
  const serviceConfig = async (): Promise<{ version: number; config: ServiceConfig }> => {
    const version = await options.store.version();
    if (whole?.version !== version) {
      const reading = readStoreConfig(options.store, {
        serviceName: options.serviceName,
        sealer: options.sealer,
        onSkipped: (id, reason) => options.logger.debug({ resource: id, reason }, 'stored resource left out of the self-hosted gateway configuration'),
      }).then((read) => read.config);
      whole = { version, config: reading };
      // A failed read is not kept: the next call tries again.
      reading.catch(() => {
        if (whole?.config === reading) whole = null;
      });
    }
    return { version, config: await whole.config };
  };

  const configurationOf = async (gateway: AuthenticatedGateway): Promise<Served> => {
    const { version, config } = await serviceConfig();
    const key = gateway.name.toLowerCase();
    const kept = servedByGateway.get(key);
    // The gateway's key state is part of the ETag: a regenerated key is a new configuration to it.
    if (kept && kept.version === version && kept.gatewayEtag === gateway.entity.etag) return kept;
    const [apis, authorities] = await Promise.all([
      options.store.list({ kind: 'gatewayApi', parent: gateway.entity.id }),
      options.store.list({ kind: 'gatewayCertificateAuthority', parent: gateway.entity.id }),
    ]);
    const nameOf = (id: string) => id.slice(id.lastIndexOf('/') + 1);
    const scoped = gatewayScopedConfig(config, { apis: apis.items.map((e) => nameOf(e.id)), certificateAuthorities: authorities.items.map((e) => nameOf(e.id)) });
    const text = encodeServiceConfig(scoped);
    const hash = createHash('sha256').update(text).update('\0').update(gateway.entity.etag).digest('base64url').slice(0, 32);
    const served = { version, gatewayEtag: gateway.entity.etag, text, etag: hash };
    servedByGateway.set(key, served);
    return served;
  };

  const serve = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? '').split('?')[0]!;
    const method = (req.method ?? 'GET').toUpperCase();
    const allowed = path === gatewayConfigurationPath ? 'GET' : 'POST';
    if (method !== allowed) throw new ArmError(405, 'MethodNotAllowed', `${path} answers ${allowed}, not ${method}.`);
    const gateway = await authenticateGateway(header(req, 'authorization'), { store: options.store, sealer: options.sealer, now });
    if (path === gatewayHeartbeatPath) {
      const report = readHeartbeatReport(await readJsonBody(req, heartbeatBodyLimit));
      // False: the gateway was deleted since its token was checked, which makes the token invalid.
      if (!(await options.heartbeats.recordHeartbeat(gateway.entity.id, report))) throw new GatewayAuthError(false);
      req.resume();
      res.writeHead(204);
      res.end();
      return;
    }
    req.resume();
    const served = await configurationOf(gateway);
    const common = { etag: etagHeader(served.etag), [configVersionHeader]: String(served.version), 'cache-control': 'no-store' };
    if ((parseMatchHeader(header(req, 'if-none-match')) ?? []).includes(served.etag)) {
      res.writeHead(304, common);
      res.end();
      return;
    }
    res.writeHead(200, { ...common, 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(served.text)) });
    res.end(served.text);
  };

  return (req, res) => {
    serve(req, res).catch((err: unknown) => {
      if (err instanceof GatewayAuthError) {
        options.logger.warn({ path: req.url, code: err.code, from: req.socket.remoteAddress }, 'a self-hosted gateway call was refused');
        return sendArmResponse(req, res, { status: 401, headers: { ...err.headers }, body: err.body() });
      }
      if (!(err instanceof ArmError)) options.logger.error({ err, path: req.url }, 'self-hosted gateway call failed');
      const response = armErrorResponse(err);
      if (response.status === 405) response.headers.allow = req.url?.startsWith(gatewayConfigurationPath) ? 'GET' : 'POST';
      try {
        sendArmResponse(req, res, response);
      } catch {
        res.destroy();
      }
    });
  };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}
