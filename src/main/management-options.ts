/**
 * The management plane's `start` flags: `--management-port` (HTTP, default 8081),
 * `--management-https-port` (default 8444), `--management-certificate CERT,KEY` (default: a
 * development certificate generated into the data folder), `--admin-token`, `--store`.
 */
import { parseStoreOption, StoreOptionError, type StoreChoice } from './store-option.js';

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
}

/** The flags this file reads (all strings). */
export const managementFlags = ['management-port', 'management-https-port', 'management-certificate', 'admin-token', 'store'] as const;

/** Default ports: the gateway's 8080 plus one, and an HTTPS port clear of the usual 8443. */
export const defaultManagementPort = 8081;
export const defaultManagementHttpsPort = 8444;

/** Reads the management flags; `value` returns a flag's text (command line, then environment twin). */
export function parseManagementOptions(
  value: (flag: string) => string | undefined,
  port: (flag: string, text: string) => number,
  usage: (message: string) => Error,
  env: NodeJS.ProcessEnv,
): ManagementOptions {
  const options: ManagementOptions = {
    httpPort: port('management-port', value('management-port') ?? String(defaultManagementPort)),
    httpsPort: port('management-https-port', value('management-https-port') ?? String(defaultManagementHttpsPort)),
    store: { kind: 'sqlite' },
  };
  const certificate = value('management-certificate');
  if (certificate !== undefined) {
    const parts = certificate.split(',');
    if (parts.length !== 2 || parts.some((p) => p.trim() === '')) {
      throw usage(`Invalid --management-certificate '${certificate}': expected CERTFILE,KEYFILE (PEM files).`);
    }
    options.certificate = { certFile: parts[0]!.trim(), keyFile: parts[1]!.trim() };
  }
  const token = value('admin-token');
  if (token !== undefined) {
    // A short token is guessable; the generated one has 256 bits.
    if (token.length < 16 || /\s/.test(token)) throw usage('Invalid --admin-token: use at least 16 characters without spaces.');
    options.adminToken = token;
  }
  const store = value('store');
  try {
    options.store = parseStoreOption(store, env);
  } catch (err) {
    if (err instanceof StoreOptionError) throw usage(err.message);
    throw err;
  }
  if (store !== undefined) options.storeText = store;
  return options;
}
