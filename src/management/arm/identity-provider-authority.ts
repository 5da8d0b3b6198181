/**
 * Where an identity provider record's OpenID discovery document is (docs/identity-providers.md).
 * Azure builds it from `authority` (a host name, `login.microsoftonline.com` by default) and the
 * tenant: `https://{authority}/{tenant}/v2.0/.well-known/openid-configuration` for `aad`, with
 * the sign-in policy before `v2.0` for `aadB2C`. Gatehouse also takes an `authority` that is a
 * full URL (`http://127.0.0.1:4011/oidc`): the document is then at
 * `{authority}/.well-known/openid-configuration`. Plain http is allowed only for loopback
 * addresses, checked when the record is saved.
 */
import { isIP } from 'node:net';
import { ArmError, invalidField } from './arm-error.js';

/** Azure's default authority for `aad` and `aadB2C`. */
export const defaultAuthority = 'login.microsoftonline.com';

/** The identity provider types that sign in with OpenID Connect id tokens. */
export const openIdProviderTypes = ['aad', 'aadB2C'] as const;
export type OpenIdProviderType = (typeof openIdProviderTypes)[number];

const hostForm = /^[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?(?::\d{1,5})?$/;

/** Whether `authority` is written as a URL (Gatehouse's form) rather than a host name. */
function isUrlForm(authority: string): boolean {
  return /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(authority);
}

/** Whether `hostname` (as URL.hostname gives it) is a loopback address. */
export function isLoopbackHost(hostname: string): boolean {
  const bare = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (bare === 'localhost' || bare === '::1') return true;
  return isIP(bare) === 4 && bare.startsWith('127.');
}

/** Refuses an `authority` that can never give a discovery URL (400 on `authority`); called at save time. */
export function checkAuthority(authority: unknown): void {
  if (authority === undefined) return;
  const text = String(authority);
  if (!isUrlForm(text)) {
    if (!hostForm.test(text)) throw invalidField('authority', `'authority' must be a host name (such as '${defaultAuthority}') or an https:// URL.`);
    return;
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw invalidField('authority', `'authority' is not a valid URL.`);
  }
  if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') {
    throw invalidField('authority', "'authority' must be a URL without credentials, query or fragment.");
  }
  if (url.protocol === 'https:') return;
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return;
  if (url.protocol === 'http:') throw invalidField('authority', "'authority' may use plain http:// only for a loopback address (127.0.0.0/8, ::1, localhost); use https://.");
  throw invalidField('authority', "'authority' must be an https:// URL (or http:// on a loopback address).");
}

/** The discovery document URL of a stored `aad` or `aadB2C` record. */
export function discoveryUrl(type: OpenIdProviderType, record: Readonly<Record<string, unknown>>): string {
  const authority = typeof record.authority === 'string' && record.authority !== '' ? record.authority : defaultAuthority;
  const wellKnown = '.well-known/openid-configuration';
  if (isUrlForm(authority)) return `${authority.replace(/\/+$/, '')}/${wellKnown}`;
  const allowed = Array.isArray(record.allowedTenants) ? record.allowedTenants.filter((t): t is string => typeof t === 'string') : [];
  const tenant = typeof record.signinTenant === 'string' && record.signinTenant !== '' ? record.signinTenant : (allowed[0] ?? 'common');
  const segment = (value: string) => encodeURIComponent(value);
  if (type === 'aad') return `https://${authority}/${segment(tenant)}/v2.0/${wellKnown}`;
  const policy = record.signinPolicyName;
  if (typeof policy !== 'string' || policy === '') {
    throw new ArmError(400, 'ValidationError', "The identity provider 'aadB2C' has no 'signinPolicyName': its sign-in cannot be found.");
  }
  return `https://${authority}/${segment(tenant)}/${segment(policy)}/v2.0/${wellKnown}`;
}
