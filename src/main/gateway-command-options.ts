/**
 * `gatehouse gateway`'s option table and its reading (docs/self-hosted-gateway.md): the
 * self-hosted gateway, fed by a Gatehouse management endpoint with a gateway token. The gateway's
 * own options (listener, proxies, limits, logs) are `start`'s rows, taken from its table so the
 * two commands describe and check them alike.
 */
import { helpOption, readCommandLine, UsageError, type CommandLine, type CommandTable, type OptionRow } from './command-options.js';
import { logRows, parseLogOptions, type LogOptions } from './log-options.js';
import { parseAccessLogOption } from './observability-options.js';
import type { AccessLogTarget } from '../gateway/access-log.js';
import { byteSize, portNumber, redisOptions, startCommand, timeBudget, trustedProxyList } from './start-options.js';
import type { CounterFallback } from '../store/failover-counter-store.js';
import { dataRow } from './store-option.js';
import { baseHttpUrl } from './base-url.js';
import { readToken } from '../management/arm/signed-token.js';
import { defaultLimits } from '../expressions/runtime/budget.js';

export interface GatewayOptions {
  /** The management endpoint's base URL, without a trailing slash. */
  managementUrl: string;
  /** `{gatewayId}&{yyyyMMddHHmm}&{signature}`. */
  gatewayToken: string;
  /** The gateway id the token names. */
  gatewayId: string;
  /** Where the encrypted configuration cache is kept. */
  data: string;
  host: string;
  gatewayPort: number;
  trustedProxies: string[];
  maxBufferedBodyBytes: number;
  expressionTimeBudgetMs: number;
  /** How often the configuration is polled. */
  pollIntervalMs: number;
  /** How often a heartbeat is sent. */
  heartbeatIntervalMs: number;
  /** `--redis`: counters shared with every gateway on that Redis, and the external cache (docs/scale-out.md). */
  redis?: string;
  /** `--redis-counter-fallback`: while Redis does not answer, count here (`local`) or refuse. */
  redisCounterFallback: CounterFallback;
  /** `--access-log`: where one JSON line per request goes; null for off. */
  accessLog: AccessLogTarget | null;
  logging: LogOptions;
}

/** `start`'s row of this name (a programming mistake when it has none). */
function startRow(name: string): OptionRow {
  const row = startCommand.options.find((r) => r.name === name);
  if (!row) throw new Error(`gatehouse start has no option --${name}`);
  return row;
}

const minIntervalMs = 100;
const maxIntervalMs = 600_000;

export const gatewayCommand: CommandTable = {
  name: 'gateway',
  summary: 'A self-hosted gateway that takes its configuration from a Gatehouse management endpoint (docs/self-hosted-gateway.md).',
  positionals: [],
  built: true,
  options: [
    { name: 'management-url', kind: 'value', valueName: 'URL', environment: true, description: "the management endpoint to follow: `gatehouse start`'s management API URL (required)" },
    { name: 'gateway-token', kind: 'value', valueName: 'TOKEN', environment: true, description: 'the token from gateways/{gatewayId}/generateToken (required)' },
    { ...dataRow, defaultText: '.gatehouse-gateway', description: 'data folder: the encrypted cache of the last good configuration' },
    startRow('host'),
    startRow('gateway-port'),
    startRow('trusted-proxies'),
    startRow('max-buffered-body-size'),
    startRow('expression-time-budget'),
    { name: 'poll-interval', kind: 'value', valueName: 'TIME', environment: true, defaultText: '1s', description: 'how often the configuration is checked for changes (100ms-600s)' },
    { name: 'heartbeat-interval', kind: 'value', valueName: 'TIME', environment: true, defaultText: '10s', description: 'how often the gateway reports its heartbeat (100ms-600s)' },
    startRow('redis'),
    startRow('redis-counter-fallback'),
    startRow('access-log'),
    ...logRows,
    helpOption,
  ],
  notes: [
    'Without the management endpoint the gateway serves its cached configuration (fail static); with neither it stops.',
    'An https:// management URL with a private certificate: trust it with NODE_EXTRA_CA_CERTS=<file>.',
  ],
};

/** Parses `gateway`'s arguments with the environment as fallback. */
export function parseGatewayOptions(args: readonly string[], env: NodeJS.ProcessEnv = process.env): GatewayOptions {
  return gatewayOptionsFrom(readCommandLine(gatewayCommand, args, env));
}

/** The gateway options of a command line read against `gatewayCommand`. */
export function gatewayOptionsFrom(line: CommandLine): GatewayOptions {
  const url = line.text('management-url');
  const token = line.text('gateway-token');
  if (url === undefined) throw new UsageError('--management-url (or GATEHOUSE_MANAGEMENT_URL) is required: the management API the gateway takes its configuration from.');
  if (token === undefined) throw new UsageError('--gateway-token (or GATEHOUSE_GATEWAY_TOKEN) is required: generate one with POST …/gateways/{gatewayId}/generateToken.');
  const parts = readToken(token.trim());
  // The token is a secret: the message never repeats it.
  if (!parts) throw new UsageError(`Invalid ${line.source('gateway-token')}: expected {gatewayId}&{yyyyMMddHHmm}&{signature}, as generateToken answers it.`);
  return {
    managementUrl: managementUrl(line, url),
    gatewayToken: token.trim(),
    gatewayId: parts.id,
    data: line.text('data') ?? '.gatehouse-gateway',
    host: line.text('host') ?? '127.0.0.1',
    gatewayPort: portNumber(line, 'gateway-port', line.text('gateway-port') ?? '8080'),
    trustedProxies: trustedProxyList(line, line.text('trusted-proxies') ?? ''),
    maxBufferedBodyBytes: byteSize(line, line.text('max-buffered-body-size') ?? '2MiB'),
    expressionTimeBudgetMs: timeBudget(line, line.text('expression-time-budget') ?? `${defaultLimits.maxMilliseconds}ms`),
    pollIntervalMs: interval(line, 'poll-interval', '1s'),
    heartbeatIntervalMs: interval(line, 'heartbeat-interval', '10s'),
    ...redisOptions(line),
    accessLog: parseAccessLogOption(line),
    logging: parseLogOptions(line),
  };
}

/** An http(s) URL without credentials, query or fragment; the trailing slash dropped. */
function managementUrl(line: CommandLine, text: string): string {
  const url = baseHttpUrl(text);
  if (url === undefined) {
    throw new UsageError(`Invalid ${line.source('management-url')} '${text}': expected the management API's http:// or https:// URL, without credentials or query (e.g. https://gatehouse.example:8443).`);
  }
  return url;
}

/** `500ms`, `2s`, `750` (milliseconds) within the interval bounds. */
function interval(line: CommandLine, flag: string, fallback: string): number {
  const text = line.text(flag) ?? fallback;
  const m = /^(\d{1,7})(ms|s)?$/.exec(text);
  const ms = m ? Number(m[1]) * (m[2] === 's' ? 1000 : 1) : NaN;
  if (!(ms >= minIntervalMs && ms <= maxIntervalMs)) {
    throw new UsageError(`Invalid ${line.source(flag)} '${text}': expected a time from ${minIntervalMs}ms to ${maxIntervalMs / 1000}s (e.g. 500ms or 2s).`);
  }
  return ms;
}
