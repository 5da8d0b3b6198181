/**
 * Sends the account mails through an SMTP server (`--smtp`, docs/sign-up.md) with nodemailer:
 * STARTTLS when an `smtp://` server offers it, TLS for `smtps://`, authenticated when the URL
 * carries a user. Bounded waits, so a server that stops answering fails the send instead of
 * holding it.
 */
import nodemailer from 'nodemailer';
import type { MailMessage, MailSender } from '../core/mail-sender.js';
import { recipient } from './mail-recipient.js';
import type { SmtpServer } from './smtp-url.js';

/** A sender through `server`; one connection per message. */
export function smtpMailSender(server: SmtpServer): MailSender & { close(): void } {
  const transport = nodemailer.createTransport({
    host: server.host,
    port: server.port,
    secure: server.secure,
    auth: server.auth,
    connectionTimeout: 30_000,
    greetingTimeout: 30_000,
    socketTimeout: 60_000,
  });
  return {
    async send(message: MailMessage) {
      await transport.sendMail({ from: server.from, to: recipient(message.to), subject: message.subject, text: message.text, html: message.html });
    },
    close: () => transport.close(),
  };
}
