/** Reading the account mails in tests: parsed with mailparser, and the portal link they carry. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';

export interface ReadMail {
  to: string;
  from: string;
  subject: string;
  text: string;
  html: string;
}

/** Parses one RFC 5322 message. */
export async function parseMail(raw: Buffer | string): Promise<ReadMail> {
  const parsed = await simpleParser(raw);
  const addresses = (field: typeof parsed.to) => (Array.isArray(field) ? field : field ? [field] : []).map((a) => a.text).join(', ');
  return { to: addresses(parsed.to), from: addresses(parsed.from), subject: parsed.subject ?? '', text: parsed.text ?? '', html: typeof parsed.html === 'string' ? parsed.html : '' };
}

/** The `.eml` files of an outbox folder, oldest first (their names start with the time). */
export function outboxFiles(folder: string): string[] {
  try {
    return readdirSync(folder).filter((n) => n.endsWith('.eml')).sort().map((n) => join(folder, n));
  } catch {
    return [];
  }
}

/** Every mail in an outbox folder, parsed, oldest first. */
export async function outboxMails(folder: string): Promise<ReadMail[]> {
  return Promise.all(outboxFiles(folder).map((f) => parseMail(readFileSync(f))));
}

/** The portal link of a mail's text (`{portalUrl}/{page}…`), as a URL. */
export function portalLinkIn(mail: ReadMail, portalUrl: string): URL {
  const escaped = portalUrl.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const found = new RegExp(`${escaped}/\\S+`).exec(mail.text)?.[0];
  if (!found) throw new Error(`no link to ${portalUrl} in the mail '${mail.subject}':\n${mail.text}`);
  return new URL(found);
}
