/**
 * Without `--smtp`, the account mails are written as `.eml` files to `<data>/outbox/` (folder
 * 0700, files 0600: they hold sign-up and reset links), so a developer running `npm start` can
 * open the link. For development only (docs/sign-up.md): nothing is ever sent or cleaned up.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import type { MailMessage, MailSender } from '../core/mail-sender.js';
import { defaultMailFrom } from './smtp-url.js';

/** The outbox folder of a data folder. */
export const outboxFolder = (dataDir: string): string => join(dataDir, 'outbox');

/** A sender that writes each message to a new file in `folder`. */
export function outboxMailSender(folder: string, now: () => Date = () => new Date()): MailSender {
  // nodemailer builds the RFC 5322 message and hands it back instead of sending it.
  const composer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    async send(message: MailMessage) {
      const built = await composer.sendMail({ from: defaultMailFrom, to: message.to, subject: message.subject, text: message.text, html: message.html });
      await mkdir(folder, { recursive: true, mode: 0o700 });
      // Sorted by time when listed; the random part keeps two mails of one millisecond apart.
      const name = `${now().toISOString().replace(/[:.]/g, '-')}-${randomBytes(4).toString('hex')}.eml`;
      await writeFile(join(folder, name), built.message as Buffer, { mode: 0o600, flag: 'wx' });
    },
  };
}
