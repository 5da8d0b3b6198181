/**
 * The short-lived cookie that carries one OpenID Connect sign-in from its start to the
 * provider's callback (docs/identity-providers.md#signing-in): the provider, `state`, `nonce` and
 * the PKCE verifier, sealed with AES-256-GCM under a key made when the portal starts (so the
 * browser can neither read nor change it), valid 10 minutes. `HttpOnly`, `SameSite=Lax` (the
 * callback is a top-level navigation from the provider's site), on the sign-in paths only, and
 * `Secure` when the portal is served over HTTPS.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { cookieValue } from './session-cookie.js';

/** What the callback must find again. */
export interface SignInFlow {
  provider: string;
  state: string;
  nonce: string;
  verifier: string;
}

export const flowCookieName = 'gatehouse-oidc';
export const flowCookiePath = '/portal-api/signin/';
export const flowLifetimeSeconds = 10 * 60;

/** Seals and opens flow cookies with one key, made at construction. */
export class FlowCookieSealer {
  private readonly key = randomBytes(32);

  constructor(
    private readonly secure: boolean,
    private readonly nowMs: () => number = Date.now,
  ) {}

  /** The Set-Cookie value that carries `flow`. */
  setCookie(flow: SignInFlow): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const plain = JSON.stringify({ ...flow, expires: this.nowMs() + flowLifetimeSeconds * 1000 });
    const sealed = Buffer.concat([iv, cipher.update(plain, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return this.cookie(sealed.toString('base64url'), flowLifetimeSeconds);
  }

  /** The Set-Cookie value that removes the cookie. */
  clearCookie(): string {
    return this.cookie('', 0);
  }

  /** The flow a request's cookie carries, or undefined when it is missing, changed or expired. */
  open(cookieHeader: string | undefined): SignInFlow | undefined {
    const value = cookieValue(cookieHeader, flowCookieName);
    if (value === undefined || !/^[A-Za-z0-9_-]{40,4096}$/.test(value)) return undefined;
    const sealed = Buffer.from(value, 'base64url');
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, sealed.subarray(0, 12));
      decipher.setAuthTag(sealed.subarray(sealed.length - 16));
      const plain = Buffer.concat([decipher.update(sealed.subarray(12, sealed.length - 16)), decipher.final()]).toString('utf8');
      const flow = JSON.parse(plain) as SignInFlow & { expires: number };
      return flow.expires > this.nowMs() ? { provider: flow.provider, state: flow.state, nonce: flow.nonce, verifier: flow.verifier } : undefined;
    } catch {
      // A changed or foreign cookie fails authentication.
      return undefined;
    }
  }

  private cookie(value: string, maxAgeSeconds: number): string {
    const attributes = [`${flowCookieName}=${value}`, `Path=${flowCookiePath}`, 'HttpOnly', 'SameSite=Lax', `Max-Age=${maxAgeSeconds}`];
    if (this.secure) attributes.push('Secure');
    return attributes.join('; ');
  }
}
