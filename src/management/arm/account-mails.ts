/**
 * The text of the account mails (docs/sign-up.md): confirm a sign-up, someone tried to sign up
 * with a registered address, reset a password, and an administrator's invitation. Plain text
 * with a simple HTML twin, in English, naming the service. Nothing a caller typed (names) is put
 * in a mail, so a stranger's sign-up cannot put their words in someone else's mailbox; the link
 * is the only thing that carries a ticket.
 */
import type { MailMessage } from '../../core/mail-sender.js';

/** What every mail needs: the service's name and the portal's public URL (no trailing slash). */
export interface MailSite {
  serviceName: string;
  portalUrl: string;
}

/** `{portalUrl}/{page}?userId=…&ticket=…` (or without a query when no user is named). */
export function portalLink(site: MailSite, page: string, query?: { userId: string; ticket: string }): string {
  const base = `${site.portalUrl.replace(/\/+$/, '')}/${page}`;
  return query ? `${base}?${new URLSearchParams({ userId: query.userId, ticket: query.ticket }).toString()}` : base;
}

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A message made of paragraphs around one link, as text and as HTML. */
function message(to: string, subject: string, before: string[], link: string, after: string[]): MailMessage {
  const text = [...before, link, ...after].join('\n\n') + '\n';
  const paragraph = (p: string) => `<p>${escapeHtml(p)}</p>`;
  const html = [
    '<!doctype html><html><body>',
    ...before.map(paragraph),
    `<p><a href="${escapeHtml(link)}">${escapeHtml(link)}</a></p>`,
    ...after.map(paragraph),
    '</body></html>',
  ].join('\n');
  return { to, subject, text, html };
}

const ignore = 'If you did not ask for this, ignore this message: nothing changes.';

/** Confirms a new sign-up. */
export function confirmationMail(site: MailSite, to: string, userId: string, ticket: string): MailMessage {
  return message(
    to,
    `Confirm your ${site.serviceName} account`,
    [`Someone signed up for the ${site.serviceName} developer portal with this e-mail address.`, 'To confirm the account and sign in, open this link within 48 hours:'],
    portalLink(site, 'confirm', { userId, ticket }),
    [ignore],
  );
}

/** Tells the owner of a registered address that someone tried to sign up with it. */
export function alreadyRegisteredMail(site: MailSite, to: string): MailMessage {
  return message(
    to,
    `Sign-up attempt on your ${site.serviceName} account`,
    [`Someone tried to sign up for the ${site.serviceName} developer portal with this e-mail address, which already has an account.`, 'If it was you and you forgot your password, reset it here:'],
    portalLink(site, 'reset-password'),
    [ignore],
  );
}

/** Lets a user choose a new password. */
export function passwordResetMail(site: MailSite, to: string, userId: string, ticket: string): MailMessage {
  return message(
    to,
    `Reset your ${site.serviceName} password`,
    [`Someone asked to reset the password of the ${site.serviceName} developer portal account of this e-mail address.`, 'To choose a new password, open this link within an hour:'],
    portalLink(site, 'reset-password', { userId, ticket }),
    [ignore],
  );
}

/** An administrator's invitation: the link lets the user choose a password. */
export function invitationMail(site: MailSite, to: string, userId: string, ticket: string): MailMessage {
  return message(
    to,
    `You are invited to ${site.serviceName}`,
    [`An administrator created an account for this e-mail address on the ${site.serviceName} developer portal.`, 'To accept, choose your password here within 48 hours:'],
    portalLink(site, 'reset-password', { userId, ticket }),
    ['If you do not want the account, ignore this message.'],
  );
}
