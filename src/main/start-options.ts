/**
 * The `gatehouse start` command line (DESIGN.md "Command line contract"): every flag, its
 * `GATEHOUSE_*` environment twin, defaults and validation.
 */
import { parseArgs } from 'node:util';
import { AddressRanges } from '../core/address-ranges.js';
import { parseCertificateBinding, type CertificateBinding } from '../network/tls-certificates.js';
import { managementFlags, parseManagementOptions, type ManagementOptions } from './management-options.js';
import { observabilityFlags, parseObservabilityOptions, type ObservabilityOptions } from './observability-options.js';

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
  /** Gateway processes sharing the ports (`--workers`, docs/workers.md); 1 runs the gateway in this process. */
  workers: number;
  /** `--trusted-proxies`: CIDR prefixes whose `X-Forwarded-For` names the client (empty: the header is ignored). */
  trustedProxies: string[];
  /** `--max-buffered-body-size`: most bytes of one body a policy may buffer (docs/limits.md). */
  maxBufferedBodyBytes: number;
  /** The management API's listeners, admin token and store (management-options.ts). */
  management: ManagementOptions;
  /** `--access-log` and `--metrics` (observability-options.ts). */
  observability: ObservabilityOptions;
  /** Flags that are accepted but belong to parts not built yet: flag → value. */
  notYetBuilt: Array<{ flag: string; value: string }>;
}

/** A command-line mistake; the CLI prints it and exits with status 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

const stringFlags = [
  'data',
  'config',
  'host',
  'service-name',
  'gateway-port',
  'gateway-https-port',
  ...managementFlags,
  'portal-port',
  'redis',
  'workers',
  ...observabilityFlags,
  'trusted-proxies',
  'max-buffered-body-size',
] as const;

const notYetBuiltFlags = ['portal-port', 'redis'] as const;

/** The environment variable twin of a flag: `--gateway-port` → `GATEHOUSE_GATEWAY_PORT`. */
export function environmentTwin(flag: string): string {
  return 'GATEHOUSE_' + flag.toUpperCase().replace(/-/g, '_');
}

/** Parses `start`'s arguments with the environment as fallback. */
export function parseStartOptions(args: readonly string[], env: NodeJS.ProcessEnv = process.env): StartOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      options: {
        ...Object.fromEntries(stringFlags.map((f) => [f, { type: 'string' as const }])),
        'gateway-certificate': { type: 'string', multiple: true },
        watch: { type: 'boolean' },
      },
      allowPositionals: false,
      strict: true,
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const values = parsed.values as Record<string, string | string[] | boolean | undefined>;
  const value = (flag: string): string | undefined => {
    const v = values[flag];
    if (typeof v === 'string') return v;
    return env[environmentTwin(flag)] || undefined;
  };
  const certificateTexts =
    (values['gateway-certificate'] as string[] | undefined) ??
    (env.GATEHOUSE_GATEWAY_CERTIFICATE ? env.GATEHOUSE_GATEWAY_CERTIFICATE.split(';').filter(Boolean) : []);
  let gatewayCertificates: CertificateBinding[];
  try {
    gatewayCertificates = certificateTexts.map(parseCertificateBinding);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const httpsPortText = value('gateway-https-port');
  const options: StartOptions = {
    data: value('data') ?? '.gatehouse',
    host: value('host') ?? '127.0.0.1',
    serviceName: value('service-name') ?? 'gatehouse',
    gatewayPort: port('gateway-port', value('gateway-port') ?? '8080'),
    gatewayHttpsPort: httpsPortText === undefined ? null : port('gateway-https-port', httpsPortText),
    gatewayCertificates,
    watch: values.watch === true || booleanTwin('watch', env),
    workers: workerCount(value('workers') ?? '1'),
    trustedProxies: trustedProxyList(value('trusted-proxies') ?? ''),
    maxBufferedBodyBytes: byteSize('max-buffered-body-size', value('max-buffered-body-size') ?? '2MiB'),
    management: parseManagementOptions(value, port, (message) => new UsageError(message), env),
    observability: parseObservabilityOptions(value, (message) => new UsageError(message)),
    notYetBuilt: [],
  };
  const config = value('config');
  if (config !== undefined) options.config = config;
  if (options.watch && config === undefined) throw new UsageError('--watch needs --config APIOPS_DIR (the folder to watch).');
  if (!/^[a-zA-Z](?:[a-zA-Z0-9-]{0,48}[a-zA-Z0-9])?$/.test(options.serviceName)) {
    throw new UsageError(`Invalid --service-name '${options.serviceName}': letters, digits and hyphens, starting with a letter, at most 50 characters.`);
  }
  if (options.gatewayHttpsPort !== null && gatewayCertificates.length === 0) {
    throw new UsageError('--gateway-https-port needs at least one --gateway-certificate HOSTNAME=CERTFILE,KEYFILE.');
  }
  for (const flag of notYetBuiltFlags) {
    const v = value(flag);
    if (v !== undefined) options.notYetBuilt.push({ flag, value: v });
  }
  return options;
}

function booleanTwin(flag: string, env: NodeJS.ProcessEnv): boolean {
  const text = env[environmentTwin(flag)];
  if (text === undefined || text === '' || /^(false|0|no)$/i.test(text)) return false;
  if (/^(true|1|yes)$/i.test(text)) return true;
  throw new UsageError(`Invalid ${environmentTwin(flag)} '${text}': expected true or false.`);
}

/** `--trusted-proxies 10.0.0.0/8,192.0.2.7`: validated here so a typo stops the start. */
function trustedProxyList(text: string): string[] {
  const items = text.split(',').map((item) => item.trim()).filter((item) => item !== '');
  try {
    AddressRanges.parse(items);
  } catch (err) {
    throw new UsageError(`Invalid --trusted-proxies: ${(err as Error).message} Expected a comma-separated list of CIDR prefixes or addresses.`);
  }
  return items;
}

const byteUnits: Readonly<Record<string, number>> = { '': 1, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3 };

/** `2097152`, `64KiB`, `2MiB`, `1GiB`: a whole number of bytes from 1 byte to 1 GiB. */
function byteSize(flag: string, text: string): number {
  const m = /^(\d{1,10})(KiB|MiB|GiB)?$/.exec(text);
  const bytes = m ? Number(m[1]) * byteUnits[m[2] ?? '']! : NaN;
  if (!(bytes >= 1 && bytes <= 1024 ** 3)) {
    throw new UsageError(`Invalid --${flag} '${text}': expected a size from 1 byte to 1GiB, in bytes or with KiB, MiB or GiB (e.g. 2MiB).`);
  }
  return bytes;
}

const maxWorkers = 256;

function workerCount(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > maxWorkers) {
    throw new UsageError(`Invalid --workers '${text}': expected a number of gateway processes from 1 to ${maxWorkers}.`);
  }
  return Number(text);
}

function port(flag: string, text: string): number {
  if (!/^\d+$/.test(text) || Number(text) > 65535) throw new UsageError(`Invalid --${flag} '${text}': expected a port number 0-65535 (0 picks a free port).`);
  return Number(text);
}
