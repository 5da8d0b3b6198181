/**
 * What the self-service account requests share (docs/sign-up.md): their dependencies, the
 * strict JSON body reader, the limits per client address and per account, the ticket key, and
 * mail delivery that never holds up or changes the HTTP answer.
 */
import type { IncomingMessage } from 'node:http';
import type { EntityStore, EntityTransaction, StoredEntity } from '../../core/entity-store.js';
import type { Logger } from '../../core/logger.js';
import { isPlainAddress, type MailMessage, type MailSender } from '../../core/mail-sender.js';
import type { MailSite } from './account-mails.js';
import { bindingOf, ticketHolds, ticketKey, type TicketPurpose } from './account-tickets.js';
import { ArmError, invalidField, validationError, type ArmErrorDetail } from './arm-error.js';
import { userKind } from './kinds/user.js';
import { checkPasswordLength } from './password-hash.js';
import { readJsonBody } from './request-body.js';
import type { ArmResponse } from './resource-operations.js';
import type { SecretSealer } from './secret-sealer.js';
import { SignInLimiter } from './sign-in-limiter.js';
import { readTenantAccess } from './tenant-access-keys.js';

/** The two counts every self-service request is held to. */
export interface SelfServiceLimits {
  /** Requests per client address (TCP peer), any of the four endpoints. */
  perAddress: SignInLimiter;
  /** Mails per e-mail address, and failed ticket checks per user id. */
  perAccount: SignInLimiter;
}

/** Default limits: 30 requests per 10 minutes per address; 5 mails (or ticket failures) per hour per account. */
export function defaultSelfServiceLimits(): SelfServiceLimits {
  return {
    perAddress: new SignInLimiter({ limit: 30, windowMs: 10 * 60_000 }),
    perAccount: new SignInLimiter({ limit: 5, windowMs: 60 * 60_000 }),
  };
}

export interface SelfServiceDeps {
  store: EntityStore;
  sealer: SecretSealer;
  now: () => Date;
  mail: MailSender;
  site: MailSite;
  limits: SelfServiceLimits;
  logger?: Logger;
}

/** Who the audit log names for self-service writes. */
export const selfServiceActor = 'self-service';

/** The largest self-service body: four short fields. */
const bodyLimit = 16 * 1024;

/** The answer when a limit is reached: 429 with Retry-After. */
export function tooManyRequests(wait: number): ArmResponse {
  const refused = new ArmError(429, 'TooManyRequests', `Too many requests; try again in ${wait} second(s).`);
  return { status: 429, headers: { 'retry-after': String(wait) }, body: refused.body() };
}

/** Counts a request against `keys` of `limiter`; a 429 answer when one of them is over its limit. */
export function countRequest(limiter: SignInLimiter, keys: readonly string[]): ArmResponse | undefined {
  const wait = limiter.retryAfterSeconds(keys);
  if (wait > 0) return tooManyRequests(wait);
  limiter.attempt(keys);
  return undefined;
}

/**
 * Reads a JSON object body holding exactly the string fields `fields` (each at most its length);
 * other content types are 415, other properties and missing fields 400 naming them.
 */
export async function readStringFields<K extends string>(req: IncomingMessage, fields: Readonly<Record<K, number>>): Promise<Record<K, string>> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') {
    req.resume();
    throw new ArmError(415, 'UnsupportedMediaType', "The request body must be JSON, sent with 'Content-Type: application/json'.");
  }
  const body = (await readJsonBody(req, bodyLimit)) ?? {};
  const problems: ArmErrorDetail[] = [];
  for (const key of Object.keys(body)) {
    if (!(key in fields)) problems.push({ code: 'ValidationError', target: key, message: `'${key}' is not a property of this request.` });
  }
  const out = {} as Record<K, string>;
  for (const [key, max] of Object.entries(fields) as Array<[K, number]>) {
    const value = body[key];
    if (typeof value !== 'string' || value === '') problems.push({ code: 'ValidationError', target: key, message: `'${key}' is required and must be a non-empty string.` });
    else if (value.length > max) problems.push({ code: 'ValidationError', target: key, message: `'${key}' is longer than ${max} characters.` });
    else out[key] = value;
  }
  if (problems.length > 0) throw validationError(problems);
  return out;
}

/** Refuses an e-mail address a mail could not be sent to as one recipient (400 on `email`). */
export function checkPlainAddress(email: string): void {
  if (!isPlainAddress(email)) throw invalidField('email', 'The e-mail address must be one plain address, such as name@example.com: no spaces, commas, semicolons, quotes or angle brackets.');
}

/** The shortest password a sign-up or a reset accepts, in characters (docs/sign-up.md). */
export const minPasswordLength = 8;

/** Refuses a new password shorter than minPasswordLength characters or longer than maxPasswordBytes bytes (400 on `password`). */
export function checkNewPassword(password: string): void {
  checkPasswordLength(password);
  if ([...password].length < minPasswordLength) throw invalidField('password', `The password must have at least ${minPasswordLength} characters.`);
}

/** The answer to a ticket that does not hold, for whatever reason (unknown user too). */
export function invalidTicket(): ArmError {
  return new ArmError(400, 'InvalidTicket', 'The link is not valid: it is wrong, expired or already used. Ask for a new one.');
}

/** The ticket key of the service, read in `tx` (the tenant access resource exists once the handler seeded). */
export async function readTicketKey(tx: Pick<EntityTransaction, 'get'>, sealer: SecretSealer): Promise<Buffer> {
  const tenant = await readTenantAccess(tx, sealer);
  if (!tenant) throw new Error('the tenant access keys are missing (the handler creates them before serving)');
  return ticketKey(tenant.primaryKey);
}

/** Sends `message` in the background: a failure is logged (without the message, which holds a ticket) and never reaches the caller. */
export function deliver(deps: Pick<SelfServiceDeps, 'mail' | 'logger'>, message: MailMessage): void {
  void deps.mail.send(message).catch((err: unknown) => {
    deps.logger?.error({ err: { message: (err as Error)?.message }, subject: message.subject }, 'an account mail could not be sent');
  });
}

/** The empty JSON object a mail-sending request answers, whatever it did. */
export const accepted = (): ArmResponse => ({ status: 202, headers: { 'cache-control': 'no-store' }, body: {} });

/** What a user's store id names (`users/{name}`). */
export const userName = (entity: StoredEntity): string => entity.id.slice(entity.id.lastIndexOf('/') + 1);

/** The user `userId` names when it is in one of `states`; undefined for no such user, a name no user can have, or another state. */
export async function userInState(tx: Pick<EntityTransaction, 'get'>, userId: string, states: ReadonlySet<string>): Promise<StoredEntity | undefined> {
  if (!userKind.namePattern!.test(userId) || userId === '.' || userId === '..') return undefined;
  const user = await tx.get(`users/${userId}`);
  return user && user.kind === 'user' && states.has(String(user.body.state)) ? user : undefined;
}

/**
 * The user a ticket holds for: `userId` names a user in one of `states`, and `ticket` was issued
 * to them for one of `purposes` while they were as they are now. Otherwise InvalidTicket, the
 * same for every reason.
 */
export async function ticketHolder(
  tx: Pick<EntityTransaction, 'get'>,
  deps: Pick<SelfServiceDeps, 'sealer' | 'now'>,
  given: { userId: string; ticket: string },
  purposes: readonly TicketPurpose[],
  states: ReadonlySet<string>,
): Promise<StoredEntity> {
  const user = await userInState(tx, given.userId, states);
  const key = await readTicketKey(tx, deps.sealer);
  if (!user || !purposes.some((purpose) => ticketHolds(key, given.ticket, purpose, userName(user), bindingOf(user.body), deps.now()))) throw invalidTicket();
  return user;
}
