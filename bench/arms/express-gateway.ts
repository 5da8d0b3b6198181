/**
 * Arm `express-gateway`: express-gateway@1.16.11 (npm, into bench/vendor/express-gateway) doing the
 * typical set with its built-in policies: key-auth (a consumer's key-auth credential, sent as
 * `Authorization: apiKey id:secret`), rate-limit per consumer id (limit never reached, delaying
 * off), request-transformer and response-transformer adding one header each, proxy with
 * stripPath to `<backend>/size` (EG has no rewrite policy built in; stripPath does the same path
 * change). In-memory store (EG's emulated Redis), admin API off, logging at error level.
 */
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freeLoopbackPort } from '../harness/free-port.js';
import { launchProcess, nodeTsArgs } from '../harness/process-launcher.js';
import { ensureVendored, isVendored } from '../harness/vendor-packages.js';
import type { Arm } from '../harness/types.js';
import { INBOUND_HEADER, OUTBOUND_HEADER, TYPICAL_RATE_LIMIT_CALLS, TYPICAL_RATE_LIMIT_PERIOD_S, typicalPath } from './typical-set.js';

const PACKAGE = 'express-gateway';
const VERSION = '1.16.11';
const KEY_ID = 'benchkeyid';
const KEY_SECRET = 'benchkeysecret0123456789';

/** gateway.config.json for the typical set. */
export function expressGatewayConfig(port: number, backendUrl: string): object {
  return {
    http: { port, hostname: '127.0.0.1' },
    apiEndpoints: { typical: { host: '*', paths: ['/typical/items/*'] } },
    serviceEndpoints: { backend: { url: `${backendUrl}/size` } },
    policies: ['key-auth', 'rate-limit', 'request-transformer', 'response-transformer', 'proxy'],
    pipelines: {
      typical: {
        apiEndpoints: ['typical'],
        policies: [
          { 'key-auth': [{ action: { disableQueryParam: true } }] },
          {
            'rate-limit': [
              { action: { max: TYPICAL_RATE_LIMIT_CALLS, windowMs: TYPICAL_RATE_LIMIT_PERIOD_S * 1000, rateLimitBy: '${consumer.id}', delayAfter: 0, delayMs: 0 } },
            ],
          },
          { 'request-transformer': [{ action: { headers: { add: { [INBOUND_HEADER.name]: `'${INBOUND_HEADER.value}'` } } } }] },
          { 'response-transformer': [{ action: { headers: { add: { [OUTBOUND_HEADER.name]: `'${OUTBOUND_HEADER.value}'` } } } }] },
          { proxy: [{ action: { serviceEndpoint: 'backend', stripPath: true } }] },
        ],
      },
    },
  };
}

/** system.config.json: in-memory store, no plugins. */
function systemConfig(): object {
  return {
    db: { redis: { emulate: true, namespace: 'EG' } },
    crypto: { cipherKey: 'benchCipherKey', algorithm: 'aes256', saltRounds: 10 },
    session: { secret: 'bench', resave: false, saveUninitialized: false },
    accessTokens: { timeToExpiry: 7200000 },
    refreshTokens: { timeToExpiry: 7200000 },
    authorizationCodes: { timeToExpiry: 300000 },
  };
}

export const expressGatewayArm: Arm = {
  id: 'express-gateway',
  label: `Express Gateway ${VERSION}`,
  description:
    'Express Gateway: key-auth (Authorization: apiKey id:secret), rate-limit by consumer id (never reached, delay off), ' +
    'request-/response-transformer adding one header each, proxy with stripPath as the rewrite; emulated in-memory Redis, LOG_LEVEL=error.',
  notes: ['Express Gateway has no rewrite policy built in: proxy stripPath to `<backend>/size` makes the same path change.'],
  available: (root) => isVendored(root, PACKAGE, PACKAGE, VERSION),
  async start(ctx) {
    const vendor = await ensureVendored(ctx.root, PACKAGE, PACKAGE, VERSION, ctx.install, ctx.log);
    const port = await freeLoopbackPort();
    const configDir = join(ctx.workDir, 'config');
    mkdirSync(configDir, { recursive: true });
    writeFileSync(join(configDir, 'gateway.config.json'), JSON.stringify(expressGatewayConfig(port, ctx.backendUrl), null, 2));
    writeFileSync(join(configDir, 'system.config.json'), JSON.stringify(systemConfig(), null, 2));
    cpSync(join(vendor, 'node_modules', PACKAGE, 'lib', 'config', 'models'), join(configDir, 'models'), { recursive: true });
    const proc = await launchProcess(
      process.execPath,
      nodeTsArgs(join(ctx.root, 'bench/arms/servers/express-gateway-server.ts'), [vendor, configDir, KEY_ID, KEY_SECRET]),
      { cwd: ctx.root, name: 'express-gateway', env: { LOG_LEVEL: 'error', NODE_ENV: 'production', EG_CONFIG_DIR: configDir }, readyWhen: /^express gateway ready/, readyTimeoutMs: 60_000 },
    );
    return {
      baseUrl: `http://127.0.0.1:${port}`,
      pathFor: typicalPath,
      headers: { Authorization: `apiKey ${KEY_ID}:${KEY_SECRET}` },
      expects: { inboundHeader: true, outboundHeader: true, keyRequired: true },
      stop: proc.stop,
    };
  },
};
