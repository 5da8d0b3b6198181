/**
 * The management plane's `start` flags: `--management-port` (HTTP, default 8081),
 * `--management-https-port` (default 8444), `--management-certificate CERT,KEY` (default: a
 * development certificate generated into the data folder), `--admin-token`, `--store`,
 * `--secret-refresh-interval`, `--secret-env` and `--secret-files`.
 */
import { UsageError, type CommandLine, type OptionRow } from './command-options.js';
import { parseStoreOption, storeRow, StoreOptionError, type StoreChoice } from './store-option.js';
import { parseSecretSourceOptions, secretSourceRows } from './secret-source-options.js';
import type { SecretAllowList } from '../secrets/secret-allow-list.js';

export interface ManagementOptions {
  httpPort: number;
  httpsPort: number;
  /** Certificate and key files; undefined uses the generated development certificate. */
  certificate?: { certFile: string; keyFile: string };
  /** The admin token given on the command line; undefined uses (or creates) `<data>/admin-token`. */
  adminToken?: string;
  store: StoreChoice;
  /** The `--store` text as given, password hidden, for the banner. */
  storeText?: string;
  /** How often Key Vault named values are read again, in milliseconds (`--secret-refresh-interval` seconds). */
  secretRefreshMs: number;
  /** What `env:` and `file:` named values may read (`--secret-env`, `--secret-files`; default nothing). */
  secretSources: SecretAllowList;
}

/** Azure re-reads Key Vault named values every four hours. */
export const defaultSecretRefreshSeconds = 4 * 60 * 60;

/** Default ports: the gateway's 8080 plus one, and an HTTPS port clear of the usual 8443. */
export const defaultManagementPort = 8081;
export const defaultManagementHttpsPort = 8444;

/** The rows of `start`'s option table this file reads. */
export const managementRows: OptionRow[] = [
  { name: 'management-port', kind: 'value', valueName: 'N', environment: true, defaultText: String(defaultManagementPort), description: 'HTTP port of the management API (0 picks a free port)' },
  { name: 'management-https-port', kind: 'value', valueName: 'N', environment: true, defaultText: String(defaultManagementHttpsPort), description: 'HTTPS port of the management API (0 picks a free port)' },
  {
    name: 'management-certificate',
    kind: 'value',
    valueName: 'CERT,KEY',
    environment: true,
    defaultText: 'a development certificate generated into the data folder',
    description: "the management API's HTTPS certificate and key (PEM files)",
  },
  { name: 'admin-token', kind: 'value', valueName: 'TOKEN', environment: true, defaultText: 'the file <data>/admin-token, generated at first start', description: 'bearer token of the management API (16+ characters)' },
  storeRow,
  {
    name: 'secret-refresh-interval',
    kind: 'value',
    valueName: 'SECONDS',
    environment: true,
    defaultText: `${defaultSecretRefreshSeconds} (four hours, as Azure)`,
    description: 'how often Key Vault named values are read again',
  },
  ...secretSourceRows,
];

/** Reads the management options; `port` checks a port option's text. */
export function parseManagementOptions(line: CommandLine, port: (name: string, text: string) => number, env: NodeJS.ProcessEnv): ManagementOptions {
  const value = (name: string) => line.text(name);
  const options: ManagementOptions = {
    httpPort: port('management-port', value('management-port') ?? String(defaultManagementPort)),
    httpsPort: port('management-https-port', value('management-https-port') ?? String(defaultManagementHttpsPort)),
    store: { kind: 'sqlite' },
    secretRefreshMs: defaultSecretRefreshSeconds * 1000,
    secretSources: parseSecretSourceOptions(line),
  };
  const refresh = value('secret-refresh-interval');
  if (refresh !== undefined) {
    // At most a day (setInterval's limit is about 24.8 days; a day is already far beyond Azure's four hours).
    if (!/^[0-9]{1,6}$/.test(refresh) || Number(refresh) < 1 || Number(refresh) > 86_400) {
      throw new UsageError(`Invalid ${line.source('secret-refresh-interval')} '${refresh}': expected whole seconds from 1 to 86400.`);
    }
    options.secretRefreshMs = Number(refresh) * 1000;
  }
  const certificate = value('management-certificate');
  if (certificate !== undefined) {
    const parts = certificate.split(',');
    if (parts.length !== 2 || parts.some((p) => p.trim() === '')) {
      throw new UsageError(`Invalid ${line.source('management-certificate')} '${certificate}': expected CERTFILE,KEYFILE (PEM files).`);
    }
    options.certificate = { certFile: parts[0]!.trim(), keyFile: parts[1]!.trim() };
  }
  const token = value('admin-token');
  if (token !== undefined) {
    // A short token is guessable; the generated one has 256 bits.
    if (token.length < 16 || /\s/.test(token)) throw new UsageError(`Invalid ${line.source('admin-token')}: use at least 16 characters without spaces.`);
    options.adminToken = token;
  }
  const store = value('store');
  try {
    options.store = parseStoreOption(store, env, line.source('store'));
  } catch (err) {
    if (err instanceof StoreOptionError) throw new UsageError(err.message);
    throw err;
  }
  if (store !== undefined) options.storeText = store;
  return options;
}
