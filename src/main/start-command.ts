/**
 * `gatehouse start`: opens the store and serves the management API, starts the gateway on the
 * store's configuration (following every change, live-config.ts), and prints where everything
 * is. With `--config DIR` the folder is first imported into the store (folder-import.ts) and
 * re-imported on `--watch` and SIGHUP; the store stays the gateway's only source, so what the
 * management API changes is enforced in both modes. Runs until SIGINT/SIGTERM. The gateway runs in
 * worker processes (gateway-workers.ts; one per core unless `--workers N`), so what a request costs there
 * never holds this process's event loop; `--workers 0` runs it here instead.
 */
import { resolve } from 'node:path';
import { createLogger, type Logger } from '../core/logger.js';
import type { ServiceConfig } from '../model/resources.js';
import { resolveLogFormat } from './log-options.js';
import { progressLine } from './progress-line.js';
import { createFolderReimporter, generatedKeyLine, importConfigFolder, importCountsText, type FolderReimporter } from './folder-import.js';
import { openDataFolder } from './data-folder.js';
import { publishServedAddresses, recordOutcomesInStore } from './connection-outcomes.js';
import { watchConfigFolder, type ConfigWatcher } from './config-watcher.js';
import { checkAccessLogTarget } from '../gateway/access-log.js';
import { startGatewayObservability } from './gateway-observability.js';
import { startGatewayRuntime, type GatewayRuntime } from './gateway-runtime.js';
import { clusterMetrics, singleProcessMetrics } from './metrics-source.js';
import { startGatewayWorkers, workersLine } from './gateway-workers.js';
import { redisCountersLine } from './redis-counters.js';
import { checkPortsFree } from './free-ports.js';
import { followStore, type LiveConfig } from './live-config.js';
import { MemoryTraceStore } from '../store/memory-trace-store.js';
import { ensureDebugCredentials } from '../management/arm/debug-credentials.js';
import { startManagementPlane, type ManagementPlane } from './management-runtime.js';
import { createRelayedClientAddress } from '../management/arm/relayed-client-address.js';
import { startPortal, type PortalRuntime } from './portal-runtime.js';
import { prepareStoreServedConfig, readServedConfig } from './store-served-config.js';
import { createProtocolHints } from './protocol-hints.js';
import type { EchoBackend } from './sample/echo-backend.js';
import type { StartOptions } from './start-options.js';

export interface StartedGatehouse {
  gateway: GatewayRuntime;
  echoBackend: EchoBackend | null;
  /** Lines printed for the operator. */
  banner: string[];
  /** SIGHUP: re-imports the `--config` folder (true once the gateway serves it), or checks the store now (true when a new snapshot went in). */
  reload(reason: string): Promise<boolean>;
  close(): Promise<void>;
}

/** The log settings of `options` with the format resolved for this process's stderr: one for the start process and its gateway processes. */
function resolvedLogging(options: StartOptions) {
  return { level: options.logging.level, format: resolveLogFormat(options.logging.format) };
}

/** Starts everything `start` runs; `print` receives the human-readable lines. */
export async function startGatehouse(
  options: StartOptions,
  print: (line: string) => void,
  givenLogger?: Logger,
): Promise<StartedGatehouse> {
  const logging = resolvedLogging(options);
  const logger = givenLogger ?? createLogger(logging.level, logging.format);
  // Before anything is written: a taken port leaves no data folder, key or sample behind.
  const source = (name: string) => options.sources[name] ?? `--${name}`;
  await checkPortsFree(options.host, [
    { port: options.gatewayPort, source: source('gateway-port') },
    ...(options.gatewayHttpsPort === null ? [] : [{ port: options.gatewayHttpsPort, source: source('gateway-https-port') }]),
    { port: options.management.httpPort, source: source('management-port') },
    { port: options.management.httpsPort, source: source('management-https-port') },
    ...(options.portalPort === null ? [] : [{ port: options.portalPort, source: source('portal-port') }]),
  ]);
  const dataDir = resolve(options.data);
  openDataFolder(dataDir, logger);

  let config!: ServiceConfig;
  let echoBackend: EchoBackend | null = null;
  const banner: string[] = [];
  const notes: string[] = [];
  const folder = options.config ? resolve(options.config) : null;
  // Opened before any port is taken, so a bad --access-log path changes nothing. With worker
  // processes each opens its own (gateway-worker.ts); the path is only checked here.
  const inProcess = options.workers === 0;
  const observability = inProcess ? startGatewayObservability(options.observability, logger) : null;
  if (!inProcess) checkAccessLogTarget(options.observability.accessLog);
  // Request traces (docs/tracing.md): kept in this process, whichever process serves the gateway.
  const traces = new MemoryTraceStore();
  const relayedAddress = createRelayedClientAddress();
  const plane: ManagementPlane = await startManagementPlane({ management: options.management, dataDir, host: options.host, serviceName: options.serviceName, logger, traces, relayedAddress, mail: options.mail });
  let storeVersion = 0;
  let gateway: GatewayRuntime;
  let portal: PortalRuntime | null = null;
  try {
    if (folder) {
      // Before the gateway listens: a refused folder changes nothing and stops the start (exit 1).
      const progress = progressLine('importing', { unit: 'resources', write: (text) => process.stderr.write(text), inPlace: process.stderr.isTTY === true });
      const imported = await importConfigFolder(
        { dir: folder, store: plane.store, sealer: plane.box, secrets: plane.secrets, serviceName: options.serviceName, logger, progress: (done, total) => progress.update(done, total) },
        (line) => logger.info(line),
      ).finally(() => progress.finish());
      for (const warning of imported.warnings) logger.warn(warning);
      notes.push(`  configuration folder: ${folder}, imported into the store (${importCountsText(imported)})`);
      notes.push(...imported.generatedKeys.map(generatedKeyLine));
      ({ config, version: storeVersion } = await readServedConfig(plane, options.serviceName, logger));
    } else {
      const fromStore = await prepareStoreServedConfig({ plane, dataDir, serviceName: options.serviceName, logger });
      config = fromStore.config;
      storeVersion = fromStore.version;
      echoBackend = fromStore.echoBackend;
    }
    // After the sample or the folder went in (an empty store gets the sample), before the gateway starts.
    if (await ensureDebugCredentials(plane.store, plane.box, 'gatehouse')) ({ config, version: storeVersion } = await readServedConfig(plane, options.serviceName, logger));
    const listen = { host: options.host, httpPort: options.gatewayPort, httpsPort: options.gatewayHttpsPort, certificates: options.gatewayCertificates };
    const gatewayOptions = {
      trustedProxies: options.trustedProxies,
      maxBufferedBodyBytes: options.maxBufferedBodyBytes,
      expressionTimeBudgetMs: options.expressionTimeBudgetMs,
      redisUrl: options.redis,
      redisCounterFallback: options.redisCounterFallback,
      managedIdentity: options.managedIdentity,
      entraAuthority: options.entraAuthority,
      onListenerOutcome: recordOutcomesInStore(plane.store, logger),
      traces,
    };
    const settings = { observability: options.observability, logging };
    gateway = inProcess
      ? await startGatewayRuntime(config, listen, logger, { ...gatewayOptions, observer: observability?.observer, metricsRegistry: observability?.metrics?.registry })
      : await startGatewayWorkers(config, listen, logger, options.workers, { ...gatewayOptions, settings });
    if (options.portalPort !== null) {
      portal = await startPortal({ plane, host: options.host, port: options.portalPort, serviceName: options.serviceName, gatewayUrl: gateway.listeners[0]!.url, relayedAddress, logger }).catch(async (err: unknown) => {
        await gateway.close();
        throw err;
      });
      plane.portalListening(Number(new URL(portal.url).port));
    }
  } catch (err) {
    await echoBackend?.close();
    await plane.close();
    await observability?.close();
    throw err;
  }
  plane.endpoints.gatewayUrl = gateway.listeners[0]?.url;
  publishServedAddresses(plane.endpoints, gateway);
  if (options.observability.metrics) {
    plane.serveMetrics(observability?.metrics ? singleProcessMetrics(observability.metrics, gateway.snapshots) : clusterMetrics(gateway.snapshots));
  }
  const hints = createProtocolHints(logger);
  const onApplied = (applied: ServiceConfig): void => hints.check(applied, gateway.listeners);
  onApplied(config);
  const live: LiveConfig = followStore({ store: plane.store, sealer: plane.box, serviceName: options.serviceName, runtime: gateway, logger, servedVersion: storeVersion, onApplied, intervalMs: options.configPollMs });

  banner.push(`Gatehouse is running (service '${options.serviceName}', data folder ${dataDir}).`);
  for (const listener of gateway.listeners) {
    const endpoint = listener.endpoint === 'public' ? '' : `, ${listener.endpoint}`;
    banner.push(`  gateway (${listener.scheme}${endpoint}): ${listener.url}`);
  }
  banner.push(gateway.workerPids ? workersLine(gateway.workerPids) : '  gateway process: this one (--workers 0), sharing its event loop with the management API');
  if (options.redis) banner.push(redisCountersLine(options.redis, options.redisCounterFallback));
  const httpUrl = gateway.listeners[0]?.url ?? '';
  banner.push(...plane.banner());
  banner.push(portal ? `  developer portal: ${portal.url}` : '  developer portal: off (--portal-port off)');
  banner.push(`  gateway configuration: the store (${configCounts(config)}); changes apply live`);
  banner.push(...notes);
  const sampleApi = config.apis.find((a) => a.name === 'echo-api' && echoBackend !== null && a.serviceUrl === echoBackend.url);
  const key = config.subscriptions.find((s) => s.name === 'sample' && s.state === 'active')?.primaryKey;
  if (sampleApi && echoBackend) banner.push(`  sample API 'echo-api' at ${httpUrl}/${sampleApi.path}, forwarding to the sample echo server at ${echoBackend.url}`);
  if (sampleApi && key) {
    banner.push(`  sample subscription key (product 'starter'): ${key}`);
    banner.push(`  try: curl -H "Ocp-Apim-Subscription-Key: ${key}" "${httpUrl}/${sampleApi.path}/resource?x=1"`);
  } else {
    banner.push(...subscriptionKeyHint(plane, options, dataDir));
  }
  let reimporter: FolderReimporter | null = null;
  let watcher: ConfigWatcher | null = null;
  if (folder) {
    banner.push('  the folder is an import: the management API edits the same store, and a re-import overwrites only what the folder has (docs/configuration-folder.md)');
    reimporter = createFolderReimporter({ dir: folder, store: plane.store, sealer: plane.box, secrets: plane.secrets, serviceName: options.serviceName, logger, live, print });
    const reload = reimporter.reload;
    if (options.watch) {
      watcher = watchConfigFolder(folder, () => void reload('folder changed'), logger);
      banner.push(`  watching ${folder} for changes (re-imports on save; SIGHUP re-imports too)`);
    }
  }
  banner.push('Press Ctrl+C to stop.');
  for (const line of banner) print(line);

  return {
    gateway,
    echoBackend,
    banner,
    async reload(reason) {
      // Without a folder the gateway follows the store: a reload is an immediate check of it.
      return reimporter ? reimporter.reload(reason) : live.check();
    },
    async close() {
      watcher?.close();
      await reimporter?.close();
      await live.close();
      await portal?.close();
      await gateway.close();
      await observability?.close();
      await plane.close();
      await echoBackend?.close();
    },
  };
}

/** `1 API, 2 products, 0 subscriptions`. */
function configCounts(config: ServiceConfig): string {
  return [counted(config.apis.length, 'API'), counted(config.products.length, 'product'), counted(config.subscriptions.length, 'subscription')].join(', ');
}

function counted(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** Where a subscription key comes from when the store has no sample to print one of. */
function subscriptionKeyHint(plane: ManagementPlane, options: StartOptions, dataDir: string): string[] {
  const service = `${plane.httpUrl}/subscriptions/0/resourceGroups/rg/providers/Microsoft.ApiManagement/service/${options.serviceName}`;
  const token = plane.adminToken.path ? `$(cat ${plane.adminToken.path})` : '<admin token>';
  const store = options.management.store.kind === 'postgres' ? ' --store <the same --store>' : '';
  return [
    "  subscription keys: no sample subscription to show; read a subscription's keys with the management API:",
    `    curl -X POST -H "Authorization: Bearer ${token}" "${service}/subscriptions/<sid>/listSecrets?api-version=2024-05-01"`,
    `    or write them all into a new folder: gatehouse export <new folder> --data ${dataDir}${store} --export-secrets`,
  ];
}
