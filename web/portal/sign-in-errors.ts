/**
 * The words for `/signin?error=…`: the fixed codes the portal's identity provider sign-in
 * (src/portal/oidc-sign-in.ts, the oidc branch) sends the browser back with when it fails, worded
 * as that branch words them. Only these fixed words are shown, never what the URL says.
 */

/** What `/signin?error=…` (set by the portal's provider sign-in) means, in words. */
const signInErrors: ReadonlyMap<string, string> = new Map(Object.entries({
  provider_unknown: 'That identity provider is not configured.',
  provider_unavailable: 'The identity provider could not be reached. Try again later.',
  provider_refused: 'The identity provider did not sign you in.',
  sign_in_expired: 'The sign-in took too long or was started elsewhere. Start it again.',
  state_mismatch: 'The sign-in could not be matched to the one this browser started. Start it again.',
  sign_in_refused: 'The sign-in was refused.',
  missing_claims: 'The identity provider did not share your e-mail address, which the portal needs.',
  account_exists: 'An account with your e-mail address already exists. Sign in with your password, or ask an administrator to link the accounts.',
  too_many_attempts: 'Too many failed sign-ins. Wait a minute and try again.',
  sign_in_failed: 'The sign-in failed. Try again.',
}));

/** The message for `?error=…`, or undefined when the URL has none. */
export function signInErrorMessage(search: string): string | undefined {
  const code = new URLSearchParams(search).get('error');
  if (!code) return undefined;
  return signInErrors.get(code) ?? signInErrors.get('sign_in_failed');
}
