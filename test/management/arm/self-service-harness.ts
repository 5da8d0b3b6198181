/**
 * The management handler with a mail sender, for the self-service tests: the real outbox sender
 * into a fresh folder (removed on close), a clock the test moves, and readers for the mails and their links.
 */
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { outboxMailSender } from '../../../src/main/outbox-mail-sender.js';
import type { SignInLimiter } from '../../../src/management/arm/sign-in-limiter.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { outboxMails, portalLinkIn, type ReadMail } from '../../helpers/mail-links.js';
import { startManagement, type ArmReply } from './arm-harness.js';

export const portalUrl = 'https://portal.example.test';
export const basic = (email: string, password: string) => `Basic ${Buffer.from(`${email}:${password}`).toString('base64')}`;

/** A harness whose mails land in a fresh outbox folder, with a clock the test moves. */
export async function harness(options: { limits?: { perAddress: SignInLimiter; perAccount: SignInLimiter }; clientAddress?: (req: IncomingMessage) => string } = {}) {
  const outbox = mkdtempSync(join(tmpdir(), 'gatehouse-outbox-'));
  const clock = { now: new Date('2030-03-01T09:00:00Z') };
  const h = await startManagement({ now: () => clock.now, mail: { mail: outboxMailSender(outbox), portalUrl, selfServiceLimits: options.limits, clientAddress: options.clientAddress } });
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    h.call('POST', `identity/${path}`, { raw: JSON.stringify(body), auth: null, headers: { 'content-type': 'application/json', ...headers } });
  /** Waits until the outbox holds `count` mails (they are written in the background), and returns them. */
  const mails = async (count: number): Promise<ReadMail[]> => {
    for (let i = 0; i < 400; i++) {
      const found = await outboxMails(outbox);
      if (found.length >= count) return found;
      await new Promise((r) => setTimeout(r, 25));
    }
    assert.fail(`the outbox never held ${count} mail(s): ${(await outboxMails(outbox)).length}`);
  };
  /** Stops the handler and removes the outbox. */
  const close = async () => {
    await h.close();
    rmSync(outbox, { recursive: true, force: true });
  };
  return { h, clock, post, mails, outbox, close };
}

export const ticketOf = (mail: ReadMail) => {
  const link = portalLinkIn(mail, portalUrl);
  assert.ok(link.pathname === '/confirm' || link.pathname === '/reset-password', link.href);
  return { userId: link.searchParams.get('userId')!, ticket: link.searchParams.get('ticket')! };
};

export const assertCode = (reply: ArmReply, status: number, code: string, target?: string) => {
  assert.equal(reply.status, status, reply.text);
  assert.equal(reply.body.error.code, code, reply.text);
  if (target) assert.ok(reply.body.error.details.some((d: { target: string }) => d.target === target), reply.text);
};

export type SelfServiceHarness = Awaited<ReturnType<typeof harness>>;
