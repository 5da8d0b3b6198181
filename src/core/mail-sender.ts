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
