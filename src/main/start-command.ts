/**
 * `gatehouse start`: loads the configuration (an APIOps folder, or the sample), starts the
 * gateway and prints where everything is. Runs until SIGINT/SIGTERM.
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { createLogger } from '../core/logger.js';
import type { ServiceConfig } from '../model/resources.js';
import { loadApiopsFolder, type GeneratedKeys } from '../management/apiops/load-apiops-folder.js';
import { createConfigReloader, type ConfigReloader } from './config-reloader.js';
import { watchConfigFolder, type ConfigWatcher } from './config-watcher.js';
import { startGatewayRuntime, type GatewayRuntime } from './gateway-runtime.js';
import { startEchoBackend, type EchoBackend } from './sample/echo-backend.js';
import { sampleConfig, sampleKeys } from './sample/sample-config.js';
import type { StartOptions } from './start-options.js';

export interface StartedGatehouse {
  gateway: GatewayRuntime;
  echoBackend: EchoBackend | null;
  /** Lines printed for the operator. */
  banner: string[];
  /** Reloads the `--config` folder (SIGHUP); false when it did not load or there is no folder. */
  reload(reason: string): Promise<boolean>;
  close(): Promise<void>;
}

/** Starts everything `start` runs; `print` receives the human-readable lines. */
export async function startGatehouse(options: StartOptions, print: (line: string) => void): Promise<StartedGatehouse> {
  const logger = createLogger();
  for (const { flag } of options.notYetBuilt) {
    logger.info({ flag: `--${flag}` }, `--${flag} is accepted but the part it configures is not built yet; ignored`);
  }
  const dataDir = resolve(options.data);
  mkdirSync(dataDir, { recursive: true });

  let config: ServiceConfig;
  let echoBackend: EchoBackend | null = null;
  let generatedKeys: GeneratedKeys[] = [];
  const banner: string[] = [];
  const notes: string[] = [];
  if (options.config) {
    const loaded = await loadApiopsFolder(resolve(options.config), (message: string) => logger.info(message));
    config = loaded.config;
    config.serviceName = options.serviceName;
    generatedKeys = loaded.generatedKeys;
    for (const generated of loaded.generatedKeys) {
      notes.push(`  subscription '${generated.subscription}' had no keys; generated primary key: ${generated.primaryKey}`);
    }
  } else {
    echoBackend = await startEchoBackend(0, '127.0.0.1');
    config = sampleConfig(options.serviceName, echoBackend.url, sampleKeys(dataDir));
  }

  let gateway: GatewayRuntime;
  try {
    gateway = await startGatewayRuntime(
      config,
      { host: options.host, httpPort: options.gatewayPort, httpsPort: options.gatewayHttpsPort, certificates: options.gatewayCertificates },
      logger,
    );
  } catch (err) {
    await echoBackend?.close();
    throw err;
  }

  banner.push(`Gatehouse is running (service '${options.serviceName}', data folder ${dataDir}).`);
  for (const listener of gateway.listeners) banner.push(`  gateway (${listener.scheme}): ${listener.url}`);
  const httpUrl = gateway.listeners[0]?.url ?? '';
  if (echoBackend) {
    const key = config.subscriptions[0]!.primaryKey;
    banner.push(`  sample API 'echo-api' at ${httpUrl}/echo, forwarding to the sample echo server at ${echoBackend.url}`);
    banner.push(`  sample subscription key (product 'starter'): ${key}`);
    banner.push(`  try: curl -H "Ocp-Apim-Subscription-Key: ${key}" "${httpUrl}/echo/resource?x=1"`);
  } else {
    banner.push(`  configuration: ${resolve(options.config!)} (${config.apis.length} APIs, ${config.products.length} products, ${config.subscriptions.length} subscriptions)`);
    banner.push(...notes);
  }
  let reloader: ConfigReloader | null = null;
  let watcher: ConfigWatcher | null = null;
  if (options.config) {
    const dir = resolve(options.config);
    reloader = createConfigReloader({ dir, serviceName: options.serviceName, runtime: gateway, logger, print, generatedKeys });
    const reload = reloader.reload;
    if (options.watch) {
      watcher = watchConfigFolder(dir, () => void reload('folder changed'), logger);
      banner.push(`  watching ${dir} for changes (reloads on save; SIGHUP reloads too)`);
    }
  }
  banner.push('Press Ctrl+C to stop.');
  for (const line of banner) print(line);

  return {
    gateway,
    echoBackend,
    banner,
    async reload(reason) {
      if (!reloader) {
        logger.info({ reason }, 'nothing to reload: the gateway serves the sample configuration (no --config)');
        return false;
      }
      return reloader.reload(reason);
    },
    async close() {
      watcher?.close();
      await gateway.close();
      await echoBackend?.close();
    },
  };
}
