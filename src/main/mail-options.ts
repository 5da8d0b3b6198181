/**
 * The account mail flags of `start` (docs/sign-up.md): `--smtp URL` (where the sign-up and
 * password reset mails go; without it they are written to `<data>/outbox/`) and `--portal-url
 * URL` (the developer portal's public address, which the mailed links point to; by default the
 * address the portal listens on, portalUrlFor).
 */
import { UsageError, type CommandLine, type OptionRow } from './command-options.js';
import { parseSmtpUrl, type SmtpServer } from './smtp-url.js';

export interface MailOptions {
  /** `--smtp`; undefined writes mails to the outbox folder. */
  smtp?: SmtpServer;
  /** `--portal-url`, without a trailing slash; undefined: where the portal listens (portalUrlFor). */
  portalUrl?: string;
}

/** The rows of `start`'s option table this file reads. */
export const mailRows: OptionRow[] = [
  {
    name: 'smtp',
    kind: 'value',
    valueName: 'URL',
    environment: true,
    defaultText: 'none: mails are written to <data>/outbox/ (for development)',
    description: 'SMTP server for sign-up and password reset mails: smtp://[user:password@]host[:port] (STARTTLS when offered) or smtps://… (TLS); ?from=ADDRESS sets the sender',
  },
  {
    name: 'portal-url',
    kind: 'value',
    valueName: 'URL',
    environment: true,
    defaultText: 'http://{--host}:{--portal-port}',
    description: "the developer portal's public address, which mailed links point to (for a portal behind a proxy)",
  },
];

/** Reads `--smtp` and `--portal-url`. */
export function parseMailOptions(line: CommandLine): MailOptions {
  const options: MailOptions = {};
  const smtp = line.text('smtp');
  if (smtp !== undefined) {
    try {
      options.smtp = parseSmtpUrl(smtp);
    } catch (err) {
      throw new UsageError(`Invalid ${line.source('smtp')}: ${(err as Error).message}`);
    }
  }
  const portalUrl = line.text('portal-url');
  if (portalUrl !== undefined) options.portalUrl = checkedPortalUrl(portalUrl, line.source('portal-url'));
  return options;
}

function checkedPortalUrl(text: string, source: string): string {
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    throw new UsageError(`Invalid ${source} '${text}': expected an http:// or https:// address without query, fragment or credentials, e.g. https://developer.example.com.`);
  }
  return url.href.replace(/\/+$/, '');
}

/** The portal's address when `--portal-url` is not given: the host it listens on (a wildcard one read as loopback) and its port. */
export function portalUrlFor(host: string, port: number): string {
  const reachable = host === '0.0.0.0' || host === '' ? '127.0.0.1' : host === '::' ? '::1' : host;
  return `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}`;
}
