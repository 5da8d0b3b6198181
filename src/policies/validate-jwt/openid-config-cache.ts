/**
 * OpenID Connect discovery documents and their signing keys, cached the way Azure describes for
 * validate-jwt's `openid-config` (reference §3): the configuration and JWKS are pulled every hour;
 * when a token names a `kid` that is not cached, or when retrieval fails, the endpoint is pulled
 * again at most once per 5 minutes. Time comes from the caller so tests control it.
 *
 * Bounded, because a URL can come from the request (validate-azure-ad-token's `tenant-id` may be
 * an expression): at most `maxEntries` endpoints are kept (the least recently used goes first),
 * and a document or key set larger than `maxDocumentBytes` is refused.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { BodyTooLargeError, readLimitedBody } from '../../core/limited-body.js';

/** A verification key from a JWKS, with the `kid` it was published under. */
export interface PublishedKey {
  kid: string | undefined;
  key: KeyObject;
}

/** What one discovery endpoint currently provides. */
export interface OpenIdConfiguration {
  issuer: string | undefined;
  /** The discovery document's endpoints a sign-in flow needs (absent when not published). */
  authorizationEndpoint?: string;
  tokenEndpoint?: string;
  /** `token_endpoint_auth_methods_supported` (OpenID Discovery's default: client_secret_basic). */
  tokenEndpointAuthMethods?: readonly string[];
  keys: readonly PublishedKey[];
  /** Why the last retrieval failed, when it did and nothing was cached before. */
  error: string | undefined;
}

interface Entry {
  config: OpenIdConfiguration;
  /** When the cached configuration was fetched successfully (-Infinity: never). */
  fetchedAt: number;
  /** When a retrieval was last started. */
  attemptedAt: number;
  pending: Promise<void> | undefined;
}

export const refreshIntervalMs = 60 * 60 * 1000;
export const minRetryIntervalMs = 5 * 60 * 1000;
const defaultFetchTimeoutMs = 10_000;
/** Largest discovery document or key set read (Microsoft's are a few kilobytes). */
export const maxDocumentBytes = 1024 * 1024;

export class OpenIdConfigCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    /** Most discovery endpoints kept at once. */
    private readonly maxEntries = 256,
    /** How long one fetch (the document or the key set) may take. */
    private readonly fetchTimeoutMs = defaultFetchTimeoutMs,
  ) {}

  /** The configuration for a discovery URL, fetched when absent or older than an hour. */
  async get(url: string, nowMs: number): Promise<OpenIdConfiguration> {
    const entry = this.entry(url);
    const stale = nowMs - entry.fetchedAt >= refreshIntervalMs;
    if (stale && this.mayRetry(entry, nowMs)) await this.refresh(url, entry, nowMs);
    else if (entry.pending) await entry.pending;
    return entry.config;
  }

  /** Pulls the configuration again because a token named an unknown key, at most once per 5 minutes. */
  async refreshForUnknownKey(url: string, nowMs: number): Promise<OpenIdConfiguration> {
    const entry = this.entry(url);
    if (this.mayRetry(entry, nowMs)) await this.refresh(url, entry, nowMs);
    else if (entry.pending) await entry.pending;
    return entry.config;
  }

  /** Forgets everything (tests, or a configuration change). */
  clear(): void {
    this.entries.clear();
  }

  /** How many endpoints are cached. */
  get size(): number {
    return this.entries.size;
  }

  private entry(url: string): Entry {
    let entry = this.entries.get(url);
    if (entry) {
      // Most recently used last: the Map's order is the eviction order.
      this.entries.delete(url);
    } else {
      entry = { config: { issuer: undefined, keys: [], error: 'not retrieved yet' }, fetchedAt: -Infinity, attemptedAt: -Infinity, pending: undefined };
      for (const oldest of this.entries.keys()) {
        if (this.entries.size < this.maxEntries) break;
        this.entries.delete(oldest);
      }
    }
    this.entries.set(url, entry);
    return entry;
  }

  private mayRetry(entry: Entry, nowMs: number): boolean {
    return entry.pending === undefined && nowMs - entry.attemptedAt >= minRetryIntervalMs;
  }

  private async refresh(url: string, entry: Entry, nowMs: number): Promise<void> {
    entry.attemptedAt = nowMs;
    entry.pending = (async () => {
      try {
        entry.config = await retrieve(url, this.fetchTimeoutMs);
        entry.fetchedAt = nowMs;
      } catch (err) {
        // Keep serving the keys we had; report the failure only when there are none.
        if (entry.config.keys.length === 0) entry.config = { ...entry.config, error: (err as Error).message };
      } finally {
        entry.pending = undefined;
      }
    })();
    await entry.pending;
  }
}

/** The cache every validate-jwt of the process shares, like one gateway instance in Azure. */
export const sharedOpenIdConfigCache = new OpenIdConfigCache();

async function retrieve(url: string, timeoutMs: number): Promise<OpenIdConfiguration> {
  const discovery = await fetchJson(url, timeoutMs);
  const jwksUri = discovery.jwks_uri;
  if (typeof jwksUri !== 'string' || jwksUri === '') throw new Error(`The OpenID configuration at '${url}' has no jwks_uri.`);
  const jwks = await fetchJson(new URL(jwksUri, url).toString(), timeoutMs);
  if (!Array.isArray(jwks.keys)) throw new Error(`The JWKS at '${jwksUri}' has no keys array.`);
  const keys: PublishedKey[] = [];
  for (const jwk of jwks.keys as unknown[]) {
    if (typeof jwk !== 'object' || jwk === null) continue;
    const fields = jwk as Record<string, unknown>;
    // Encryption keys never verify signatures.
    if (fields.use !== undefined && fields.use !== 'sig') continue;
    try {
      keys.push({ kid: typeof fields.kid === 'string' ? fields.kid : undefined, key: createPublicKey({ key: fields as never, format: 'jwk' }) });
    } catch {
      // A key we cannot read (unknown kty, private parts only …) is skipped, not fatal.
    }
  }
  const text = (name: string): string | undefined => (typeof discovery[name] === 'string' ? (discovery[name] as string) : undefined);
  const methods = discovery.token_endpoint_auth_methods_supported;
  return {
    issuer: text('issuer'),
    authorizationEndpoint: text('authorization_endpoint'),
    tokenEndpoint: text('token_endpoint'),
    tokenEndpointAuthMethods: Array.isArray(methods) ? methods.filter((m): m is string => typeof m === 'string') : undefined,
    keys,
    error: undefined,
  };
}

async function fetchJson(url: string, timeoutMs: number): Promise<Record<string, unknown>> {
  const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), headers: { accept: 'application/json' } });
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}.`);
  const body = JSON.parse(await documentText(response, url)) as unknown;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new Error(`GET ${url} did not return a JSON object.`);
  return body as Record<string, unknown>;
}

/** The response body as text, refused past `maxDocumentBytes` (read no further than that). */
async function documentText(response: Response, url: string): Promise<string> {
  try {
    return (await readLimitedBody(response, maxDocumentBytes)).toString('utf8');
  } catch (err) {
    if (err instanceof BodyTooLargeError) throw new Error(`GET ${url} answered more than ${maxDocumentBytes} bytes.`);
    throw err;
  }
}
