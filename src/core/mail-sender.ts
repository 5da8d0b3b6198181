/**
 * The port mail goes out through (docs/sign-up.md): SMTP when `--smtp` is given, otherwise
 * `.eml` files in the data folder's outbox, chosen in src/main. Senders throw on failure; the
 * caller decides what a failure means.
 */

/** One plain-text message (with an optional HTML twin) to one recipient. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
}

/** Sends mail. */
export interface MailSender {
  send(message: MailMessage): Promise<void>;
}

// One address and nothing else: no list separators, quotes, comments, angle brackets, spaces or
// control characters, which a mail library would read as several recipients or a display name.
const plainAddress = /^[^\s@,;:<>()[\]"\\\u0000-\u001f\u007f]{1,64}@[^\s@,;:<>()[\]"\\\u0000-\u001f\u007f]{1,253}$/;

/** Whether `address` is one plain `local@domain` address, safe to hand to a mail library as a recipient. */
export function isPlainAddress(address: string): boolean {
  return plainAddress.test(address);
}
