/**
 * The `gatehouse start` command line (DESIGN.md "Command line contract"): its option table (every
 * flag, its `GATEHOUSE_*` environment twin, default and description), validation, and the
 * options it gives the start.
 */
import { availableParallelism } from 'node:os';
import { AddressRanges } from '../core/address-ranges.js';
import { defaultLimits } from '../expressions/runtime/budget.js';
import { parseCertificateBinding, type CertificateBinding } from '../network/tls-certificates.js';
import { helpOption, readCommandLine, UsageError, type CommandLine, type CommandTable } from './command-options.js';
import { logRows, parseLogOptions, type LogOptions } from './log-options.js';
import { mailRows, parseMailOptions, type MailOptions } from './mail-options.js';
import { managedIdentityRow, parseManagedIdentityEndpoint } from './managed-identity-options.js';
import { entraAuthorityRow, parseEntraAuthority } from './entra-authority-option.js';
import type { ManagedIdentityEndpoint } from '../gateway/managed-identity/token-endpoint.js';
import { managementRows, parseManagementOptions, type ManagementOptions } from './management-options.js';
import { observabilityRows, parseObservabilityOptions, type ObservabilityOptions } from './observability-options.js';
import { dataRow } from './store-option.js';
import { redisOptionsFrom } from '../store/redis-connection-string.js';
import type { CounterFallback } from '../store/failover-counter-store.js';
import { configPollMs } from './config-poll-option.js';

export { UsageError } from './command-options.js';

export interface StartOptions {
  data: string;
  config?: string;
  host: string;
  serviceName: string;
  gatewayPort: number;
  gatewayHttpsPort: number | null;
  gatewayCertificates: CertificateBinding[];
  /** Reload the `--config` folder when it changes. */
  watch: boolean;
  /** Gateway processes sharing the ports (`--workers`, docs/workers.md; one per core by default); 0 runs the gateway in this process. */
  workers: number;
  /** `--trusted-proxies`: CIDR prefixes whose `X-Forwarded-For` names the client (empty: the header is ignored). */
  trustedProxies: string[];
  /** `--max-buffered-body-size`: most bytes of one body a policy may buffer (docs/limits.md). */
  maxBufferedBodyBytes: number;
  /** `--expression-time-budget`: wall-clock milliseconds one policy expression may run (docs/limits.md). */
  expressionTimeBudgetMs: number;
  /** `--redis`: the counters of every gateway (docs/scale-out.md), and the caching policies' external cache when no `caches` entity names one (docs/caching.md). */
  redis?: string;
  /** `--redis-counter-fallback`: while Redis does not answer, count on this host (`local`) or refuse (`refuse`). */
  redisCounterFallback: CounterFallback;
  /** `--managed-identity-endpoint`, IDENTITY_ENDPOINT or IMDS: where managed identity tokens come from (docs/managed-identity.md). */
  managedIdentity: ManagedIdentityEndpoint;
  /** `--entra-authority`: where validate-azure-ad-token discovers tenants. */
  entraAuthority: string;
  /** `--portal-port`: the developer portal's HTTP port; null: `off`, no portal. */
  portalPort: number | null;
  /** The management API's listeners, admin token and store (management-options.ts). */
  management: ManagementOptions;
  /** `--access-log` and `--metrics` (observability-options.ts). */
  observability: ObservabilityOptions;
  /** `--log-level` and `--log-format` (log-options.ts). */
  logging: LogOptions;
  /** `--smtp` and `--portal-url` (mail-options.ts): where account mails go and what their links point to. */
  mail: MailOptions;
  /** Where each option's value came from, for messages: `--gateway-port` or `GATEHOUSE_GATEWAY_PORT`. */
  sources: Record<string, string>;
  /** `GATEHOUSE_CONFIG_POLL_MS`: how often live config polls the store (config-poll-option.ts); undefined keeps the default. */
  configPollMs?: number;
}

const maxWorkers = 256;

/**
 * `--workers`' default: one gateway process per core this process may run on. Node's
 * `availableParallelism` counts the cores of the CPU affinity (taskset, `docker --cpuset-cpus`),
 * not a CPU quota (`docker --cpus`, a Kubernetes CPU limit) on Node 20; kept within 1..256.
 */
export function defaultWorkerCount(cores: number = availableParallelism()): number {
  return Math.min(Math.max(cores, 1), maxWorkers);
}
const minBudgetMs = 10;
const maxBudgetMs = 60_000;

/** `gatehouse start`'s options: the parser and the help are made from this table. */
/** The developer portal's default port: the management API's plus one. */
export const defaultPortalPort = 8082;

export const startCommand: CommandTable = {
  name: 'start',
  summary: 'Serves the gateway and the management API until Ctrl+C (SIGINT) or SIGTERM.',
  positionals: [],
  built: true,
  options: [
    dataRow,
    { name: 'config', kind: 'value', valueName: 'APIOPS_DIR', environment: true, description: 'import this APIOps extractor folder into the store at start, then serve the store' },
    { name: 'watch', kind: 'switch', environment: true, description: 'import the --config folder again when it changes (SIGHUP does so at any time)' },
    { name: 'host', kind: 'value', valueName: 'ADDR', environment: true, defaultText: '127.0.0.1', description: 'the address every listener binds (0.0.0.0: all IPv4 addresses)' },
    { name: 'service-name', kind: 'value', valueName: 'NAME', environment: true, defaultText: 'gatehouse', description: 'the API Management service name in management API paths' },
    { name: 'gateway-port', kind: 'value', valueName: 'N', environment: true, defaultText: '8080', description: "the gateway's HTTP port (0 picks a free port)" },
    { name: 'gateway-https-port', kind: 'value', valueName: 'N', environment: true, defaultText: 'none (no HTTPS)', description: "the gateway's HTTPS port; needs --gateway-certificate" },
    {
      name: 'gateway-certificate',
      kind: 'list',
      valueName: 'HOST=CERT,KEY',
      environment: true,
      environmentSeparator: ';',
      description: "a certificate of the gateway's HTTPS listener for a host name (* or *.domain allowed)",
    },
    {
      name: 'negotiate-client-certificate',
      kind: 'list',
      valueName: 'HOST',
      environment: true,
      environmentSeparator: ';',
      description: 'ask callers of this --gateway-certificate host name (as written there) for a client certificate (Azure: negotiateClientCertificate)',
    },
    ...managementRows,
    {
      name: 'workers',
      kind: 'value',
      valueName: 'N',
      environment: true,
      defaultText: `one per core (${defaultWorkerCount()} here)`,
      description: `gateway processes sharing the ports and the counters, apart from the management API (1-${maxWorkers}; 0: the gateway runs in the start process; docs/workers.md)`,
    },
    { name: 'trusted-proxies', kind: 'value', valueName: 'CIDR,…', environment: true, defaultText: 'none (X-Forwarded-For ignored)', description: "proxies whose X-Forwarded-For names the caller's IP" },
    {
      name: 'max-buffered-body-size',
      kind: 'value',
      valueName: 'SIZE',
      environment: true,
      defaultText: '2MiB',
      description: 'the most of a request or response body a policy may buffer (bytes, KiB, MiB or GiB; docs/limits.md)',
    },
    {
      name: 'expression-time-budget',
      kind: 'value',
      valueName: 'TIME',
      environment: true,
      defaultText: `${defaultLimits.maxMilliseconds}ms`,
      description: `how long one policy expression may run before it fails (${minBudgetMs}ms-${maxBudgetMs / 1000}s, e.g. 500ms or 2s; docs/limits.md)`,
    },
    ...observabilityRows,
    ...logRows,
    { name: 'portal-port', kind: 'value', valueName: 'N|off', environment: true, defaultText: String(defaultPortalPort), description: 'HTTP port of the developer portal (0 picks a free port; off: no portal; docs/portal.md)' },
    ...mailRows,
    { name: 'redis', kind: 'value', valueName: 'redis://…', environment: true, defaultText: 'none', description: "Redis for the rate-limit and quota counters and as the caching policies' external cache, both shared between hosts (docs/scale-out.md)" },
    {
      name: 'redis-counter-fallback',
      kind: 'value',
      valueName: 'local|refuse',
      environment: true,
      defaultText: 'local',
      description: "while Redis does not answer: count on this host's counters (local) or answer 503 to calls that need a counter (refuse)",
    },
    managedIdentityRow,
    entraAuthorityRow,
    helpOption,
  ],
  notes: [
    'Without --config the gateway serves the store and applies every change made through the management API.',
    'Secrets at rest are sealed with <data>/encryption.key, or GATEHOUSE_ENCRYPTION_KEY when set (docs/storage.md).',
    'The command line wins over the environment. Documentation: docs/ in the repository.',
  ],
};

/** Parses `start`'s arguments with the environment as fallback (`--help` is not one of them: see readCommandLine). */
export function parseStartOptions(args: readonly string[], env: NodeJS.ProcessEnv = process.env): StartOptions {
  return startOptionsFrom(readCommandLine(startCommand, args, env), env);
}

/** The start options of a command line read against `startCommand`. */
export function startOptionsFrom(line: CommandLine, env: NodeJS.ProcessEnv = process.env): StartOptions {
  const value = (flag: string): string | undefined => line.text(flag);
  const port = (flag: string, text: string): number => portNumber(line, flag, text);
  let gatewayCertificates: CertificateBinding[];
  try {
    gatewayCertificates = line.list('gateway-certificate').map(parseCertificateBinding);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  for (const host of line.list('negotiate-client-certificate')) {
    const bound = gatewayCertificates.filter((b) => b.hostname.toLowerCase() === host.trim().toLowerCase());
    if (bound.length === 0) throw new UsageError(`${line.source('negotiate-client-certificate')} '${host}' names no --gateway-certificate host name (${gatewayCertificates.map((b) => b.hostname).join(', ') || 'none given'}).`);
    for (const binding of bound) binding.negotiateClientCertificate = true;
  }
  const httpsPortText = value('gateway-https-port');
  const options: StartOptions = {
    data: value('data') ?? '.gatehouse',
    host: value('host') ?? '127.0.0.1',
    serviceName: value('service-name') ?? 'gatehouse',
    gatewayPort: port('gateway-port', value('gateway-port') ?? '8080'),
    gatewayHttpsPort: httpsPortText === undefined ? null : port('gateway-https-port', httpsPortText),
    gatewayCertificates,
    portalPort: portalPort(line, value('portal-port') ?? String(defaultPortalPort)),
    watch: line.switchOn('watch'),
    workers: workerCount(line, value('workers') ?? String(defaultWorkerCount())),
    trustedProxies: trustedProxyList(line, value('trusted-proxies') ?? ''),
    maxBufferedBodyBytes: byteSize(line, value('max-buffered-body-size') ?? '2MiB'),
    expressionTimeBudgetMs: timeBudget(line, value('expression-time-budget') ?? `${defaultLimits.maxMilliseconds}ms`),
    management: parseManagementOptions(line, port, env),
    managedIdentity: parseManagedIdentityEndpoint(line, env),
    entraAuthority: parseEntraAuthority(line),
    observability: parseObservabilityOptions(line),
    logging: parseLogOptions(line),
    mail: parseMailOptions(line),
    sources: Object.fromEntries(startCommand.options.map((row) => [row.name, line.source(row.name)])),
    redisCounterFallback: 'local',
  };
  const config = value('config');
  if (config !== undefined) options.config = config;
  const pollMs = configPollMs(env);
  if (pollMs !== undefined) options.configPollMs = pollMs;
  Object.assign(options, redisOptions(line));
  if (options.watch && config === undefined) throw new UsageError(`${line.source('watch')} needs --config APIOPS_DIR (the folder to watch).`);
  if (!/^[a-zA-Z](?:[a-zA-Z0-9-]{0,48}[a-zA-Z0-9])?$/.test(options.serviceName)) {
    throw new UsageError(`Invalid ${line.source('service-name')} '${options.serviceName}': letters, digits and hyphens, starting with a letter, at most 50 characters.`);
  }
  if (options.gatewayHttpsPort !== null && gatewayCertificates.length === 0) {
    throw new UsageError(`${line.source('gateway-https-port')} needs at least one --gateway-certificate HOSTNAME=CERTFILE,KEYFILE.`);
  }
  return options;
}

/** `--portal-port`: a port, or `off`. */
function portalPort(line: CommandLine, text: string): number | null {
  return text.toLowerCase() === 'off' ? null : portNumber(line, 'portal-port', text);
}

/** A port option's value: 0-65535 (0 picks a free port). */
export function portNumber(line: CommandLine, flag: string, text: string): number {
  if (!/^\d+$/.test(text) || Number(text) > 65535) throw new UsageError(`Invalid ${line.source(flag)} '${text}': expected a port number 0-65535 (0 picks a free port).`);
  return Number(text);
}

/** `--redis` and `--redis-counter-fallback`, read alike by `start` and `gateway`. */
export function redisOptions(line: CommandLine): { redis?: string; redisCounterFallback: CounterFallback } {
  const redis = line.text('redis');
  const fallback = line.text('redis-counter-fallback');
  const out: { redis?: string; redisCounterFallback: CounterFallback } = { redisCounterFallback: 'local' };
  if (redis !== undefined) out.redis = redisUrl(line, redis);
  if (fallback !== undefined) {
    if (fallback !== 'local' && fallback !== 'refuse') throw new UsageError(`Invalid ${line.source('redis-counter-fallback')} '${fallback}': expected local or refuse.`);
    if (redis === undefined) throw new UsageError(`${line.source('redis-counter-fallback')} needs --redis redis://… (the counters it is the fallback of).`);
    out.redisCounterFallback = fallback;
  }
  return out;
}

/** `--redis redis://[user:password@]host:port[/db]` (rediss:// for TLS): checked here so a typo stops the start. */
function redisUrl(line: CommandLine, text: string): string {
  try {
    if (!/^rediss?:\/\//i.test(text)) throw new Error('expected a redis:// or rediss:// URL.');
    redisOptionsFrom(text);
  } catch (err) {
    // The URL may hold a password: it is not repeated.
    throw new UsageError(`Invalid ${line.source('redis')}: ${(err as Error).message} Expected redis://[user:password@]host:port[/db].`);
  }
  return text;
}

/** `--trusted-proxies 10.0.0.0/8,192.0.2.7`: validated here so a typo stops the start. */
export function trustedProxyList(line: CommandLine, text: string): string[] {
  const items = text.split(',').map((item) => item.trim()).filter((item) => item !== '');
  try {
    AddressRanges.parse(items);
  } catch (err) {
    throw new UsageError(`Invalid ${line.source('trusted-proxies')}: ${(err as Error).message} Expected a comma-separated list of CIDR prefixes or addresses.`);
  }
  return items;
}

const byteUnits: Readonly<Record<string, number>> = { '': 1, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3 };

/** `2097152`, `64KiB`, `2MiB`, `1GiB`: a whole number of bytes from 1 byte to 1 GiB. */
export function byteSize(line: CommandLine, text: string): number {
  const m = /^(\d{1,10})(KiB|MiB|GiB)?$/.exec(text);
  const bytes = m ? Number(m[1]) * byteUnits[m[2] ?? '']! : NaN;
  if (!(bytes >= 1 && bytes <= 1024 ** 3)) {
    throw new UsageError(`Invalid ${line.source('max-buffered-body-size')} '${text}': expected a size from 1 byte to 1GiB, in bytes or with KiB, MiB or GiB (e.g. 2MiB).`);
  }
  return bytes;
}

/** `500ms`, `2s`, `750` (milliseconds): from 10 ms to 60 s. */
export function timeBudget(line: CommandLine, text: string): number {
  const m = /^(\d{1,6})(ms|s)?$/.exec(text);
  const ms = m ? Number(m[1]) * (m[2] === 's' ? 1000 : 1) : NaN;
  if (!(ms >= minBudgetMs && ms <= maxBudgetMs)) {
    throw new UsageError(`Invalid ${line.source('expression-time-budget')} '${text}': expected a time from ${minBudgetMs}ms to ${maxBudgetMs / 1000}s, in milliseconds or with ms or s (e.g. 500ms or 2s).`);
  }
  return ms;
}

function workerCount(line: CommandLine, text: string): number {
  if (!/^\d+$/.test(text) || Number(text) > maxWorkers) {
    throw new UsageError(`Invalid ${line.source('workers')} '${text}': expected a number of gateway processes from 1 to ${maxWorkers}, or 0 to run the gateway in the start process.`);
  }
  return Number(text);
}
