/**
 * Without `--smtp`, the account mails are written as `.eml` files to `<data>/outbox/` (folder
 * 0700, files 0600: they hold sign-up and reset links), so a developer running `npm start` can
 * open the link. For development only (docs/sign-up.md): nothing is ever sent or cleaned up.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import type { MailMessage, MailSender } from '../core/mail-sender.js';
import { recipient } from './mail-recipient.js';
import { defaultMailFrom } from './smtp-url.js';

/** The outbox folder of a data folder. */
export const outboxFolder = (dataDir: string): string => join(dataDir, 'outbox');

/** A sender that writes each message to a new file in `folder`. */
export function outboxMailSender(folder: string, now: () => Date = () => new Date()): MailSender {
  // nodemailer builds the RFC 5322 message and hands it back instead of sending it.
  const composer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  let sequence = 0;
  return {
    async send(message: MailMessage) {
      // Named before anything is awaited, so the files sort in the order the mails were sent:
      // the time, then a counter for mails of one millisecond, then a random part.
      const name = `${now().toISOString().replace(/[:.]/g, '-')}-${String(++sequence).padStart(6, '0')}-${randomBytes(4).toString('hex')}.eml`;
      const built = await composer.sendMail({ from: defaultMailFrom, to: recipient(message.to), subject: message.subject, text: message.text, html: message.html });
      await mkdir(folder, { recursive: true, mode: 0o700 });
      // Written under another name and renamed, so a reader never sees half a message.
      const part = join(folder, `.${name}.part`);
      await writeFile(part, built.message as Buffer, { mode: 0o600, flag: 'wx' });
      await rename(part, join(folder, name));
    },
  };
}
