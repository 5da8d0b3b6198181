/**
 * A real SMTP server on loopback (smtp-server) that keeps every mail it receives, parsed with
 * mailparser, for the browser tests of the mailed sign-up and password reset (issue 18). Plain
 * SMTP: no STARTTLS offered, no authentication.
 */
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import type { GatehouseProcess } from '../../e2e/helpers/gatehouse-process.js';
import { waitFor } from '../../e2e/helpers/wait-for.js';

/** A received mail: its recipients and text. */
export interface ReceivedMail {
  to: string[];
  subject: string;
  text: string;
}

export interface MailCatcher {
  /** `smtp://127.0.0.1:<port>`, for `gatehouse start --smtp`. */
  url: string;
  received: ReceivedMail[];
  /** Waits for a mail to `address` whose subject matches (the process's state named if it never comes). */
  mailTo(address: string, subject: RegExp, gh?: GatehouseProcess): Promise<ReceivedMail>;
  close(): Promise<void>;
}

export async function startMailCatcher(): Promise<MailCatcher> {
  const received: ReceivedMail[] = [];
  const smtp = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    authOptional: true,
    onData(stream, session, callback) {
      simpleParser(stream).then(
        (parsed) => {
          received.push({ to: session.envelope.rcptTo.map((r) => r.address), subject: parsed.subject ?? '', text: parsed.text ?? '' });
          callback();
        },
        (err: Error) => callback(err),
      );
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve()));
  const port = (smtp.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    async mailTo(address, subject, gh) {
      let mail: ReceivedMail | undefined;
      await waitFor(`a mail to ${address} (${subject})`, () => (mail = received.find((m) => m.to.includes(address) && subject.test(m.subject))) !== undefined, gh);
      return mail!;
    },
    close: () => new Promise<void>((resolve) => smtp.close(() => resolve())),
  };
}

/**
 * The portal link of a mail (`{portal URL}/{page}?userId=…&ticket=…`), on the test's portal.
 * `start` runs with `--portal-port 0`, so the mail's links name port 0 (the portal's address as
 * given, not the one the system picked): their origin is replaced with the printed portal URL.
 */
export function mailedLink(mail: ReceivedMail, page: string, portalUrl: string): string {
  const found = new RegExp(`https?://\\S+/${page}(\\?\\S*)?`).exec(mail.text)?.[0];
  if (!found) throw new Error(`no /${page} link in the mail '${mail.subject}':\n${mail.text}`);
  const link = new URL(found);
  return `${portalUrl}${link.pathname}${link.search}`;
}
