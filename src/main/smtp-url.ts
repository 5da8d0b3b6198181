/**
 * The `--smtp URL` value (docs/sign-up.md): `smtp://[user:password@]host[:port]` (STARTTLS when
 * the server offers it) or `smtps://…` (TLS from the first byte), with `?from=` for the sender.
 * Read once at start so a typo stops it; the password is masked wherever the URL is shown.
 */

/** The sender when `?from=` is not given. */
export const defaultMailFrom = 'Gatehouse <noreply@localhost>';

/** An SMTP server to send through, read from the URL. */
export interface SmtpServer {
  host: string;
  /** Undefined: the scheme's usual port (587 for smtp, 465 for smtps). */
  port?: number;
  /** TLS from the first byte (`smtps`); otherwise STARTTLS when offered. */
  secure: boolean;
  auth?: { user: string; pass: string };
  from: string;
  /** The URL with the password masked, for messages and the banner. */
  shown: string;
}

/** The URL with its password (if any) written as `***`. */
export function maskSmtpUrl(text: string): string {
  return text.replace(/^(smtps?:\/\/[^:@/?#]*:)[^/?#]*@/i, '$1***@');
}

/** Reads an `--smtp` value; throws an Error saying what is wrong (never repeating the password). */
export function parseSmtpUrl(text: string): SmtpServer {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`'${maskSmtpUrl(text)}' is not a URL; expected smtp://[user:password@]host[:port][?from=…] or smtps://….`);
  }
  const scheme = url.protocol.toLowerCase();
  if (scheme !== 'smtp:' && scheme !== 'smtps:') throw new Error(`'${url.protocol}' is not smtp: or smtps:.`);
  if (url.hostname === '') throw new Error('the URL names no host.');
  if (url.pathname !== '' && url.pathname !== '/') throw new Error('the URL has a path; an SMTP URL has none.');
  for (const key of url.searchParams.keys()) {
    if (key !== 'from') throw new Error(`'${key}' is not an option of the SMTP URL (only 'from').`);
  }
  const from = url.searchParams.get('from') ?? defaultMailFrom;
  if (/[\r\n]/.test(from) || !/@/.test(from)) throw new Error("'from' must be one address, such as 'Portal <portal@example.com>'.");
  const server: SmtpServer = { host: url.hostname.replace(/^\[(.*)\]$/, '$1'), secure: scheme === 'smtps:', from, shown: maskSmtpUrl(text) };
  if (url.port !== '') server.port = Number(url.port);
  if (url.username !== '') server.auth = { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) };
  return server;
}
