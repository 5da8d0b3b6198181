/**
 * The developer portal's calls to the management API for an OpenID Connect sign-in
 * (src/management/arm/authorization-code-sign-in.ts): what the authorization request needs, and
 * redeeming the code for a user token. The client secret never leaves the management API. Both
 * calls need no credentials; a failure carries the management API's error code, never its text,
 * to the caller.
 */

const apiVersion = '2024-05-01';
const requestTimeoutMs = 15_000;

/** What the authorization request to the provider needs. */
export interface ProviderAuthorization {
  clientId: string;
  authorizationEndpoint: string;
  scope: string;
}

/** The user signed in, with their user token. */
export interface SignedInUser {
  userId: string;
  token: string;
}

/** A management answer other than success: its status and ARM error code. */
export class SignInRefused extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'SignInRefused';
  }
}

/** Calls `…/identity/{provider}/{step}` below `serviceUrl` with `headers`; the JSON object answered, or throws SignInRefused. */
async function call(serviceUrl: string, provider: string, step: string, headers: Record<string, string>, body?: Record<string, string>): Promise<Record<string, unknown>> {
  const url = new URL(`${serviceUrl.replace(/\/+$/, '')}/identity/${encodeURIComponent(provider)}/${step}`);
  url.searchParams.set('api-version', apiVersion);
  let status = 0;
  let answer: unknown;
  try {
    const response = await fetch(url, {
      method: body ? 'POST' : 'GET',
      headers: { ...headers, accept: 'application/json', ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(requestTimeoutMs),
    });
    status = response.status;
    answer = await response.json();
  } catch (err) {
    throw new SignInRefused(status || 502, 'ManagementUnavailable', `The management API could not be asked: ${(err as Error).message}`);
  }
  const object = typeof answer === 'object' && answer !== null && !Array.isArray(answer) ? (answer as Record<string, unknown>) : {};
  if (status !== 200) {
    const error = (object.error ?? {}) as { code?: unknown; message?: unknown };
    throw new SignInRefused(status, typeof error.code === 'string' ? error.code : 'Unknown', typeof error.message === 'string' ? error.message : `answered ${status}`);
  }
  return object;
}

const text = (object: Record<string, unknown>, name: string): string => {
  const value = object[name];
  if (typeof value !== 'string' || value === '') throw new SignInRefused(502, 'ManagementUnavailable', `The management API's answer has no '${name}'.`);
  return value;
};

/** What the portal sends the browser to the provider with. */
export async function readProviderAuthorization(serviceUrl: string, provider: string, headers: Record<string, string>): Promise<ProviderAuthorization> {
  const answer = await call(serviceUrl, provider, 'authorization', headers);
  return { clientId: text(answer, 'clientId'), authorizationEndpoint: text(answer, 'authorizationEndpoint'), scope: text(answer, 'scope') };
}

/** Redeems the provider's code through the management API: the user it signs in. */
export async function redeemAuthorizationCode(
  serviceUrl: string,
  provider: string,
  request: { code: string; codeVerifier: string; redirectUri: string; nonce: string },
  /** Headers naming the browser's address (the management API's per-address sign-in limit). */
  headers: Record<string, string>,
): Promise<SignedInUser> {
  const answer = await call(serviceUrl, provider, 'authorizationCode', headers, request);
  return { userId: text(answer, 'id'), token: text(answer, 'value') };
}
