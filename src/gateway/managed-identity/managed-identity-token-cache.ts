/**
 * The gateway's managed identity tokens (the ManagedIdentityTokens port): fetched from the
 * configured endpoint (token-endpoint.ts) through the policies' outbound call sender, and kept per
 * (resource, client id) until five minutes before they expire, as Azure's identity libraries
 * refresh them ("API Management caches the token until it expires"). Concurrent requests for a
 * pair that is not cached share one fetch. Failures are not cached: the next request asks again.
 */
import type { Clock } from '../../core/ports.js';
import type { OutboundCalls } from '../../pipeline/gateway-context.js';
import { ManagedIdentityError, managedIdentityNotEnabledMessage, type ManagedIdentityTokens } from '../../pipeline/managed-identity.js';
import { readTokenAnswer, tokenRequest, type IssuedToken, type ManagedIdentityEndpoint } from './token-endpoint.js';

/** A token is fetched again this long before it expires. */
export const refreshMarginMs = 5 * 60 * 1000;
/** How long one token request may take, connect to last byte. */
export const tokenFetchTimeoutMs = 10_000;
/** The most of a token answer read (tokens are a few KiB). */
export const maxAnswerBytes = 64 * 1024;
/** Distinct (resource, client id) pairs kept; the oldest entry goes first when full. */
const maxEntries = 1000;

export class ManagedIdentityTokenCache implements ManagedIdentityTokens {
  private readonly tokens = new Map<string, IssuedToken>();
  private readonly pending = new Map<string, Promise<IssuedToken>>();
  /** Token requests sent so far (for the metrics and tests). */
  fetches = 0;

  constructor(
    private readonly endpoint: ManagedIdentityEndpoint,
    private readonly outbound: OutboundCalls,
    private readonly clock: Clock,
    /** How long one token request may take (tests shorten it). */
    private readonly timeoutMs = tokenFetchTimeoutMs,
  ) {}

  async token(resource: string, clientId: string | undefined): Promise<string> {
    const endpoint = this.endpoint;
    if (endpoint.protocol === 'off') throw new ManagedIdentityError('ManagedIdentityNotEnabled', managedIdentityNotEnabledMessage);
    const key = `${clientId ?? ''}\n${resource}`;
    const cached = this.tokens.get(key);
    if (cached && this.clock.now() < cached.expiresAtMs - refreshMarginMs) return cached.accessToken;
    let fetching = this.pending.get(key);
    if (!fetching) {
      fetching = this.fetch(endpoint, resource, clientId).finally(() => this.pending.delete(key));
      this.pending.set(key, fetching);
    }
    const issued = await fetching;
    return issued.accessToken;
  }

  private async fetch(endpoint: Exclude<ManagedIdentityEndpoint, { protocol: 'off' }>, resource: string, clientId: string | undefined): Promise<IssuedToken> {
    const key = `${clientId ?? ''}\n${resource}`;
    this.fetches++;
    const who = clientId === undefined ? 'the system-assigned identity' : `the user-assigned identity '${clientId}'`;
    let issued: IssuedToken;
    try {
      const answer = await this.outbound.send(tokenRequest(endpoint, resource, clientId, this.timeoutMs), maxAnswerBytes);
      const text = (await answer.body.read(true)).toString('utf8');
      issued = readTokenAnswer(answer.statusCode, text, this.clock.now());
    } catch (err) {
      const reason = (err as Error).message;
      throw new ManagedIdentityError('TokenAcquisitionFailed', `Unable to acquire a token for resource '${resource}' as ${who}: ${reason}`);
    }
    this.tokens.delete(key);
    if (this.tokens.size >= maxEntries) this.tokens.delete(this.tokens.keys().next().value!);
    this.tokens.set(key, issued);
    return issued;
  }
}
