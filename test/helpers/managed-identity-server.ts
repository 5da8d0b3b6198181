/**
 * A loopback token endpoint speaking both managed identity protocols: the Instance Metadata
 * Service's (`api-version=2018-02-01`, header `Metadata: true`) and App Service's
 * (`api-version=2019-08-01`, header `X-IDENTITY-HEADER`). It checks what each protocol requires,
 * counts the token requests, issues `token-<n>-<resource>[-<client_id>]` tokens, and can be made
 * to fail or to hold its answers back (to show that concurrent requests share one fetch).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TokenRequestSeen {
  path: string;
  apiVersion: string | null;
  resource: string | null;
  clientId: string | null;
  metadata: string | undefined;
  identityHeader: string | undefined;
}

export interface ManagedIdentityServer {
  /** The token URL (path `/metadata/identity/oauth2/token`, as IMDS). */
  url: string;
  requests: TokenRequestSeen[];
  /** Seconds of lifetime of the next tokens (`expires_in`, and `expires_on` from now). */
  lifetimeSeconds: number;
  /** Answer this status with an IMDS-style error body instead of a token. */
  failWith: number | undefined;
  /** While true, answers wait until `release()`. */
  hold: boolean;
  release(): void;
  close(): Promise<void>;
}

/** Starts the server; `identityHeader` is the secret the App Service protocol must present. */
export async function startManagedIdentityServer(identityHeader = 'loopback-identity-header'): Promise<ManagedIdentityServer> {
  let issued = 0;
  let waiting: Array<() => void> = [];
  const state: ManagedIdentityServer = {
    url: '',
    requests: [],
    lifetimeSeconds: 3600,
    failWith: undefined,
    hold: false,
    release() {
      const now = waiting;
      waiting = [];
      for (const go of now) go();
    },
    close: () =>
      new Promise<void>((resolve) => {
        state.release();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server: Server = createServer((req, res) => {
    req.resume();
    const url = new URL(req.url ?? '/', 'http://identity');
    const seen: TokenRequestSeen = {
      path: url.pathname,
      apiVersion: url.searchParams.get('api-version'),
      resource: url.searchParams.get('resource'),
      clientId: url.searchParams.get('client_id'),
      metadata: req.headers.metadata as string | undefined,
      identityHeader: req.headers['x-identity-header'] as string | undefined,
    };
    state.requests.push(seen);
    const answer = (status: number, body: object) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const respond = () => {
      const imds = seen.apiVersion === '2018-02-01' && seen.metadata === 'true';
      const appService = seen.apiVersion === '2019-08-01' && seen.identityHeader === identityHeader;
      if (!imds && !appService) return answer(400, { error: 'invalid_request', error_description: 'Required metadata header not specified' });
      if (!seen.resource) return answer(400, { error: 'invalid_request', error_description: 'Required query variable resource is missing' });
      if (state.failWith !== undefined) return answer(state.failWith, { error: 'invalid_request', error_description: 'Identity not found' });
      issued++;
      const now = Math.floor(Date.now() / 1000);
      answer(200, {
        access_token: `token-${issued}-${seen.resource}${seen.clientId ? `-${seen.clientId}` : ''}`,
        expires_in: String(state.lifetimeSeconds),
        expires_on: String(now + state.lifetimeSeconds),
        resource: seen.resource,
        token_type: 'Bearer',
      });
    };
    if (state.hold) waiting.push(respond);
    else respond();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/metadata/identity/oauth2/token`;
  return state;
}
