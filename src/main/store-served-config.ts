/**
 * The gateway serves the store (issue 3 §5, issue 14 §1). Without `--config`, at first start (a
 * store never written) the sample is seeded through the management API; the sample echo server
 * starts on every such run and the sample API is re-pointed at it while it still uses the
 * previous run's. With `--config` the folder was imported instead and neither happens.
 */
import type { Logger } from '../core/logger.js';
import type { ServiceConfig } from '../model/resources.js';
import { readStoreConfig } from '../management/store-config/read-store-config.js';
import type { ManagementPlane } from './management-runtime.js';
import { startEchoBackend, type EchoBackend } from './sample/echo-backend.js';
import { sampleConfig, sampleKeys } from './sample/sample-config.js';
import { repointApi, seedSampleStore, swapEchoUrl } from './sample/seed-sample-store.js';

export interface StoreServedConfig {
  config: ServiceConfig;
  /** The store version `config` was read at. */
  version: number;
  /** The sample echo server; null with `--config`. */
  echoBackend: EchoBackend | null;
  /** Whether the sample was written into the store at this start. */
  seeded: boolean;
}

/** Seeds or re-points the sample as needed and reads the configuration the gateway starts with. */
export async function prepareStoreServedConfig(options: { plane: ManagementPlane; dataDir: string; serviceName: string; logger: Logger }): Promise<StoreServedConfig> {
  const { plane, dataDir, serviceName, logger } = options;
  const fresh = (await plane.store.version()) === 0;
  const echoBackend = await startEchoBackend(0, '127.0.0.1');
  try {
    const endpoint = { url: plane.httpUrl, token: plane.adminToken.token, serviceName };
    const previousEcho = swapEchoUrl(dataDir, echoBackend.url);
    let seeded = false;
    if (fresh) {
      seeded = await seedSampleStore(endpoint, sampleConfig(serviceName, echoBackend.url, sampleKeys(dataDir)));
      if (seeded) logger.info('the store was empty: the sample (echo API, starter product, sample subscription) was written into it');
      else logger.info('the store was empty, and another instance sharing it is writing the sample');
    } else if (previousEcho !== undefined && (await repointApi(endpoint, 'echo-api', previousEcho, echoBackend.url))) {
      logger.info({ url: echoBackend.url }, "the sample API 'echo-api' now forwards to this run's echo server");
    }
    return { ...(await readServedConfig(plane, serviceName, logger)), echoBackend, seeded };
  } catch (err) {
    await echoBackend.close();
    throw err;
  }
}

/** The store's configuration as the gateway starts with it, and the version it was read at. */
export async function readServedConfig(plane: ManagementPlane, serviceName: string, logger: Logger): Promise<{ config: ServiceConfig; version: number }> {
  const read = await readStoreConfig(plane.store, {
    serviceName,
    sealer: plane.box,
    log: (m) => logger.info(m),
    onSkipped: (id, reason) => logger.warn({ resource: id, reason }, 'stored resource cannot be served and is left out of the gateway configuration'),
  });
  return { config: read.config, version: read.version };
}
