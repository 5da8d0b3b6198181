/**
 * The words for `/signin?error=…`: the fixed codes the portal's identity provider sign-in
 * (src/portal/oidc-sign-in.ts) sends the browser back with when it fails.
 */

/** What `/signin?error=…` (set by the portal's provider sign-in) means, in words. */
const signInErrors: ReadonlyMap<string, string> = new Map(Object.entries({
  provider_unknown: 'That identity provider is not set up on this portal.',
  provider_unavailable: 'The identity provider could not be reached. Try again in a moment.',
  provider_refused: 'The identity provider did not sign you in.',
  sign_in_expired: 'The sign-in took too long. Start again.',
  state_mismatch: 'The sign-in could not be matched to this browser. Start again from this page.',
  sign_in_refused: 'Your account may not sign in here (it may be blocked or waiting for confirmation).',
  missing_claims: 'The identity provider did not give the e-mail address and name the portal needs.',
  account_exists: 'An account with this e-mail address already exists. Sign in with its password.',
  too_many_attempts: 'Too many sign-in attempts. Wait a minute and try again.',
  sign_in_failed: 'The sign-in did not succeed. Try again.',
}));

/** The message for `?error=…`, or undefined when the URL has none. */
export function signInErrorMessage(search: string): string | undefined {
  const code = new URLSearchParams(search).get('error');
  if (!code) return undefined;
  return signInErrors.get(code) ?? 'The sign-in did not succeed. Try again.';
}
