/**
 * Hides secrets in a query string before it is logged: the subscription key parameter and the
 * usual credential carriers (`sig`, `code`, `access_token`, `key`) keep their name and lose their
 * value to `***`. Keys are secrets and are never logged (DESIGN.md, Conventions).
 */
import type { Api } from '../model/resources.js';
import { parseQueryString } from '../pipeline/request-url.js';
import { defaultSubscriptionKeyQuery, subscriptionKeyNames } from './subscriptions/extract-subscription-key.js';

const alwaysSecret = [defaultSubscriptionKeyQuery, 'sig', 'code', 'access_token', 'key'];

/** The query parameter names whose values are hidden for a request to `api` (lower-cased). */
export function secretQueryNames(api: Pick<Api, 'subscriptionKeyParameterNames'> | null): string[] {
  if (!api) return alwaysSecret;
  const own = subscriptionKeyNames(api).query.toLowerCase();
  return alwaysSecret.includes(own) ? alwaysSecret : [...alwaysSecret, own];
}

/**
 * `rawQuery` (without `?`) with the value of every parameter named in `secretNames` replaced by
 * `***`. Names are compared decoded and case-insensitively, so `Subscription%2Dkey` is caught
 * too (hiding a little more than needed never leaks anything).
 */
export function redactQuery(rawQuery: string, secretNames: readonly string[]): string {
  if (rawQuery === '') return rawQuery;
  const parts = rawQuery.split('&');
  let changed = false;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    const eq = part.indexOf('=');
    const rawName = eq === -1 ? part : part.slice(0, eq);
    if (rawName === '' || (eq === -1 && part === '')) continue;
    const name = parseQueryString(rawName)[0]?.[0]?.toLowerCase() ?? '';
    if (!secretNames.includes(name)) continue;
    parts[i] = `${rawName}=***`;
    changed = true;
  }
  return changed ? parts.join('&') : rawQuery;
}
