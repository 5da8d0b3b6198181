/**
 * The recipient as the senders hand it to nodemailer: one plain address, as an object so it is
 * not read as a list (`a@example.com,b@example.com`) or a display name. Anything else is refused
 * before a connection is made; users created by the administrator may hold such addresses.
 */
import { isPlainAddress } from '../core/mail-sender.js';

/** `to` as nodemailer's single-address object; throws for an address that is not plain. */
export function recipient(to: string): { name: string; address: string } {
  if (!isPlainAddress(to)) throw new Error('the recipient is not one plain e-mail address; nothing was sent');
  return { name: '', address: to };
}
